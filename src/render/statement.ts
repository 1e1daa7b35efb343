import type { Config } from '../config/schema.ts';
import { longDate } from '../locale.ts';

/** A date for the statement: `YYYY-MM-DD` for `<time>` and as the reader reads it. */
interface StatementDate {
  iso: string;
  text: string;
}

/**
 * The facts of the accessibility statement that DIGG's model asks for, from `accessibility` in the
 * config, as the statement partials (`templates/web/partials/statement-*.hbs`) use them: the
 * compliance status (one flag set), the content known not to be accessible, how and when the site
 * was assessed, when the statement was updated, and where to complain (Digg).
 */
export function statementFacts(config: Config) {
  const { status, issues, assessment, updated, enforcement } = config.accessibility;
  const date = (value: string | undefined): StatementDate | undefined =>
    value === undefined ? undefined : { iso: value, text: longDate(value, config.locale) };
  return {
    compliance: { full: status === 'full', partial: status === 'partial', none: status === 'none' },
    knownIssues: issues,
    assessment: {
      external: assessment.method === 'external',
      by: assessment.by,
      date: date(assessment.date),
    },
    updated: date(updated),
    enforcement,
  };
}
