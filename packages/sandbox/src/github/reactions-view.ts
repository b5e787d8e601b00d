/** GitHub's reactions rollup as an item with no reactions shows it (the sandbox models none). */
export function emptyReactions(url: string) {
  return { url: `${url}/reactions`, total_count: 0, "+1": 0, "-1": 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };
}
