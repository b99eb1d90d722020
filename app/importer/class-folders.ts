import type { ClassName } from '../contract/classes.ts';

/** Folder names (lower-cased) that mean a class; anything else is reported, never guessed. */
const SYNONYMS: Record<ClassName, readonly string[]> = {
  angry: ['angry', 'anger'],
  disgust: ['disgust', 'disgusted'],
  fear: ['fear', 'fearful', 'afraid', 'scared'],
  happy: ['happy', 'happiness', 'joy'],
  neutral: ['neutral'],
  sad: ['sad', 'sadness'],
  surprise: ['surprise', 'surprised'],
};

const LOOKUP = new Map<string, ClassName>(
  Object.entries(SYNONYMS).flatMap(([name, words]) =>
    words.map((word) => [word, name as ClassName]),
  ),
);

export function classForFolder(folderName: string): ClassName | null {
  return LOOKUP.get(folderName.trim().toLowerCase()) ?? null;
}

export const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.gif',
  '.webp',
  '.tif',
  '.tiff',
]);
