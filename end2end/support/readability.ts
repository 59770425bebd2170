// Readability of French text: the Kandel–Moles formula (1958), Flesch's
// reading ease re-weighted for French:
//   L = 207 − 1.015 × (words / sentences) − 73.6 × (syllables / words)
// On Flesch's scale: 90+ very easy, 80–90 easy, 70–80 fairly easy, 60–70
// standard. Syllables are counted by a rule of thumb for written French:
// groups of vowels, less a silent final "e", "es" or verb "ent" after a
// consonant. It is close to spoken syllables, never exact (it undercounts
// "réussite", "pays"): the score is a guide for short UI text, not a grade.

const VOWELS = 'aeiouyàâäéèêëîïôöùûüÿœæ';

export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-zàâäéèêëîïôöùûüÿœæç]/g, '');
  if (w === '') return /\d/.test(word) ? 1 : 0;
  let groups = 0;
  let inVowel = false;
  for (const c of w) {
    const v = VOWELS.includes(c);
    if (v && !inVowel) groups++;
    inVowel = v;
  }
  if (groups > 1 && /[^aeiouyéèêàâîôû](e|es|ent)$/.test(w)) groups--;
  return Math.max(groups, 1);
}

export interface Readability {
  sentences: number;
  words: number;
  syllables: number;
  score: number;
}

/** Each line of on-screen text is a sentence unless punctuation splits it
 * further (headings and buttons are phrases of their own). */
export function kandelMoles(text: string): Readability {
  const sentences = text
    .split(/[\n.!?;:]+/)
    .map((s) => s.trim())
    .filter((s) => /[a-zA-Zà-ÿ0-9]/.test(s));
  const words = sentences.flatMap((s) => s.split(/\s+/).filter((w) => /[a-zA-Zà-ÿ0-9]/.test(w)));
  const count = words.reduce((n, w) => n + syllables(w), 0);
  const score = 207 - 1.015 * (words.length / sentences.length) - 73.6 * (count / words.length);
  return { sentences: sentences.length, words: words.length, syllables: count, score: Math.round(score * 10) / 10 };
}
