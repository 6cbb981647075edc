/** What a secret becomes; GitLab's own word for a masked variable, so readers know it. */
export const MASK = '[MASKED]';
