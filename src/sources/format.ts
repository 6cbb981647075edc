/** Times and durations as alerts show them: UTC, minutes, no seconds. */

export const hhmm = (iso: string): string => `${iso.slice(11, 16)} UTC`;

export const when = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Backstage owners are entity refs (`group:default/team-payments`); people know the name. */
export const ownerName = (owner: string): string => owner.replace(/^[a-z]+:(?:[a-z0-9-]+\/)?/i, '');
