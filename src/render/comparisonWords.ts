// The words both platforms use to set a figure against the digest's comparisons.

/** "last week 3 · 4-week avg 2", "last quarter 3 · a year ago 5". */
export function comparedWords(labels: string[], figures: Array<number | string>): string {
  return labels.map((label, index) => `${label} ${figures[index]}`).join(' · ');
}
