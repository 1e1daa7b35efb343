import { report } from '../../report/message.ts';
import { frontMatterValuePlace } from '../places.ts';
import { EXAMPLE_ISSUE, type Rule } from '../rule.ts';

/**
 * `draft`: a reminder, not a fault — a draft is never sent and not published. A warning, so it
 * shows in `check` output (and fails `--frail`), while a fresh `nyhetsbrev new` issue has nothing else.
 */
export const draft: Rule = {
  id: 'draft',
  description: 'reminds that a `status: draft` issue is not sent or published',
  severity: ['warning'],
  examples: [
    { name: 'a ready issue', files: {} },
    {
      name: 'a draft',
      files: { 'issue.md': EXAMPLE_ISSUE['issue.md']!.replace('status: ready', 'status: draft') },
      messages: [
        'issue.md:5:9 warning Unexpected `status: draft`, expected `status: ready` before the issue is sent or published',
      ],
    },
  ],
  check({ issue, issueFile }) {
    if (issue.meta.status !== 'draft') return;
    report(
      issueFile,
      'Unexpected `status: draft`, expected `status: ready` before the issue is sent or published',
      {
        ruleId: 'draft',
        severity: 'warning',
        place: frontMatterValuePlace(issueFile, 'status'),
        hint: 'Change it to `status: ready` when the issue is done; until then it is left out of publish and send.',
      },
    );
  },
};
