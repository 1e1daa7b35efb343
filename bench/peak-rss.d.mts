/** This process's peak resident set size in kB, all its threads (see peak-rss.mjs). */
export function peakRssKb(): number;
