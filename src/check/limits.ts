/** One KB, as Gmail counts it. */
export const KB = 1024;

/** Size limits of an email (DESIGN): Gmail clips messages at ~102 KB and drops `<style>` over 16 KB. */
export const LIMITS = {
  /** Gmail's clipping point: the meter's scale. */
  clip: 102 * KB,
  htmlWarning: 90 * KB,
  htmlError: 100 * KB,
  style: 16 * KB,
} as const;

/** `12.3 KB`: bytes as KB with one decimal. */
export function kilobytes(bytes: number): string {
  return `${(bytes / KB).toFixed(1)} KB`;
}
