/** "Did you mean …?" for config keys, namespaces and command-line flags. */

/** The known name closest to `name` (ignoring case), if it is close enough to be a typo of it. */
export function nearest(name: string, known: readonly string[]): string | undefined {
    const prefixed = known.filter((k) => name.length >= 3 && k.toLowerCase().startsWith(name.toLowerCase()));
    if (prefixed.length === 1) {
        return prefixed[0];
    }
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const k of known) {
        const d = editDistance(name.toLowerCase(), k.toLowerCase());
        if (d < bestDistance) {
            best = k;
            bestDistance = d;
        }
    }
    return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
