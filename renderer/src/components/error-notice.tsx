import { ClientError } from '../client/index.js';

/** Error codes in the words a clerk would use; the server's message adds the specifics. */
export function plainError(e: unknown): string {
  if (!(e instanceof ClientError)) return e instanceof Error ? e.message : 'Something went wrong.';
  switch (e.code) {
    case 'TICKET_UNAVAILABLE':
      return 'That ticket was just sold elsewhere. The list has been refreshed, please pick another.';
    case 'NETWORK':
      return 'The box office server is not answering. Check that it is running, then try again.';
    case 'UNAUTHORIZED':
      return 'This browser is not signed in. Open a fresh sign-in link from the server (marquee serve prints one).';
    case 'FORBIDDEN':
      return `Not allowed: ${e.message}`;
    case 'NOT_FOUND':
      return `Not found: ${e.message}`;
    case 'VALIDATION_FAILED':
      return `Please check the form: ${e.message}`;
    case 'IDEMPOTENCY_KEY_REUSED':
      return 'This sale was already sent with different details. Start the sale again.';
    case 'STORE_UNAVAILABLE': {
      const problem = (e.details as { problem?: unknown } | undefined)?.problem;
      return `Can't reach the shared database, so this was not done${typeof problem === 'string' ? ` (${problem})` : ''}. Try again once the red banner is gone: a sale sent again is never made twice.`;
    }
    case 'TOO_MANY_REQUESTS':
      return 'The server is busy. Wait a moment and try again.';
    default:
      return e.message || 'Something went wrong.';
  }
}

export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      {title ? <strong>{title} </strong> : null}
      {plainError(error)}
    </div>
  );
}
