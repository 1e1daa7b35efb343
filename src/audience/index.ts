/**
 * The audience stage: subscribers, forum lists and suppressions in SQLite. Entry points:
 * {@link openStore} for the database, {@link audience} for the recipients of a send.
 */
export {
  audience,
  audienceCounts,
  audienceQuery,
  type AudienceCounts,
  type AudienceQuery,
} from './audience.ts';
export { parseSubscriberCsv, type ParsedCsv, type CsvRecord, type RejectedRow } from './csv.ts';
export { parseEmail, emailKey, type EmailAddress } from './email.ts';
export { importCsv, readImportFile, type ImportCsvOptions } from './import-file.ts';
export { importSubscribers, summariseImport, type ImportOptions, type ImportReport } from './import.ts';
export {
  collectStats,
  describeAdd,
  describeForget,
  formatImportProblems,
  formatStats,
  formatSubscriberTable,
  subscriberJson,
  type Stats,
} from './format.ts';
export { loadLists, parseLists, requireLists, type Lists, type ListDefinition } from './lists.ts';
export { addSubscriber, parseStatus, removeSubscriber, requireEmail, type AddResult } from './manage.ts';
export { MIGRATIONS, migrate, type Migration } from './migrations.ts';
export { exportPerson, forgetPerson, withoutKey, type PersonExport, type ForgetResult } from './privacy.ts';
export { purgeRetained, type RetentionPurge } from './retention.ts';
export { stopAddress } from './stop.ts';
export { validateRows, type CandidateRow, type DuplicateRow } from './rows.ts';
export { openStore, databaseError, type Store, type StoreOptions } from './store.ts';
export * from './types.ts';
