/** Name of the environment variable with the deployment's secret: it signs confirm and unsubscribe links and keys the suppression hashes. */
export const SECRET_ENV = 'NYHETSBREV_SECRET';

/** Name of the environment variable with Resend's webhook signing secret (`whsec_…`). */
export const WEBHOOK_SECRET_ENV = 'RESEND_WEBHOOK_SECRET';
