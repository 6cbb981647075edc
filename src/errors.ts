/**
 * An error whose message is written for the person in the chat: it names what was wrong and
 * what to do. Anything that is not a UserError is shown only as "Something went wrong (ref ...)"
 * while the full error goes to the log.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export const isUserError = (error: unknown): error is UserError => error instanceof UserError;
