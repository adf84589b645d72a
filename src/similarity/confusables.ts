/**
 * Unicode characters that pass for ASCII letters in a package name. Hand-written because the full
 * Unicode TR39 confusables table is ~6,000 entries for every script and we need only the few dozen
 * that imitate the lower-case Latin letters, digits and separators a package name uses; NFKD
 * already handles accents, ligatures and full-width forms.
 */
const TABLE: Record<string, string> = {
  // Cyrillic
  '\u0430': 'a', '\u0435': 'e', '\u0451': 'e', '\u0456': 'i', '\u0457': 'i', '\u0458': 'j', '\u043e': 'o',
  '\u0440': 'p', '\u0441': 'c', '\u0443': 'y', '\u0445': 'x', '\u0455': 's', '\u0501': 'd', '\u04bb': 'h',
  '\u04cf': 'l', '\u051b': 'q', '\u051d': 'w', '\u0432': 'b', '\u043a': 'k', '\u043c': 'm', '\u043d': 'h',
  '\u0442': 't', '\u044c': 'b',
  // Greek
  '\u03b1': 'a', '\u03bf': 'o', '\u03c1': 'p', '\u03bd': 'v', '\u03b9': 'i', '\u03ba': 'k', '\u03c4': 't',
  '\u03c5': 'u', '\u03c7': 'x', '\u03b5': 'e', '\u03b2': 'b', '\u03b7': 'n', '\u03c9': 'w',
  // Armenian, IPA and Latin letters without a decomposition
  '\u0578': 'n', '\u057d': 'u', '\u0585': 'o', '\u0261': 'g', '\u0131': 'i', '\u0237': 'j', '\u0142': 'l',
  '\u00f8': 'o', '\u0111': 'd', '\u0127': 'h', '\u00df': 'ss', '\u00e6': 'ae', '\u0153': 'oe', '\u0269': 'i',
  '\u026a': 'i', '\u1d0f': 'o', '\u1d1c': 'u', '\u0280': 'r',
  // Dashes, dots and underscores from other blocks read as separators
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-', '\ufe63': '-',
  '\u2024': '.', '\u00b7': '.', '\u2027': '.',
};

// Zero-width and formatting characters: invisible, so they read as nothing.
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]/gu;
const MARKS = /\p{M}+/gu;

/** True when every character is ASCII: the common case, checked without allocating. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7e) return false;
  return true;
}

/** Fold a lower-case string's non-ASCII look-alikes to the ASCII they imitate. ASCII input is returned as is. */
export function foldConfusables(s: string): string {
  if (isAscii(s)) return s;
  const decomposed = s.normalize('NFKD').replace(MARKS, '').replace(INVISIBLE, '').toLowerCase();
  let out = '';
  for (const ch of decomposed) out += TABLE[ch] ?? ch;
  return out;
}

/** Whether a name contains characters that `foldConfusables` changes. */
export function hasNonAscii(s: string): boolean {
  return !isAscii(s);
}
