import type { ConfigInput } from './schema.ts';

/** The embedded defaults used when there is no `nyhetsbrev.yml`: sample values at reserved domains. */
export const DEFAULT_CONFIG: ConfigInput = {
  organisation: 'Myndighetsnätverket',
  newsletter: 'Nyhetsbrev från Myndighetsnätverket',
  baseUrl: 'https://natverket.example.org/nyhetsbrev/',
  sender: { from: 'Myndighetsnätverket <nyhetsbrev@natverket.example.org>' },
  footer:
    'Du får det här nyhetsbrevet eftersom du är medlem i ett av nätverkets forum eller har anmält dig på vår webbplats.',
};
