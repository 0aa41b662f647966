// Reads every manifest and finds its image fields, collecting every error rather than the first, so a
// user fixes all of them in one go.
import { type ManifestFile, findManifests, readManifest } from './files.js';
import { type ImageField, ManifestError, locateImageFields } from './locate.js';

export interface Manifest extends ManifestFile {
  readonly text: string;
  readonly fields: readonly ImageField[];
}

export interface Scan {
  readonly manifests: readonly Manifest[];
  readonly errors: readonly ManifestError[];
}

export interface ScanOptions {
  readonly workspace: string;
  readonly patterns: readonly string[];
  readonly imageKeys: readonly string[];
  /** Files that are never manifests: ferry's lock, the lock it reads, files under output-dir. */
  readonly exclude: readonly string[];
  readonly excludeDirectory?: string;
}

export async function scanManifests(options: ScanOptions): Promise<Scan> {
  let files = await findManifests(options.workspace, options.patterns, options.exclude);
  const { excludeDirectory } = options;
  if (excludeDirectory !== undefined) files = files.filter((file) => !file.path.startsWith(excludeDirectory + '/'));
  const keys = new Set(options.imageKeys);
  const manifests: Manifest[] = [];
  const errors: ManifestError[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readManifest(file);
      manifests.push({ ...file, text, fields: locateImageFields(file.name, text, keys) });
    } catch (error) {
      if (error instanceof ManifestError) errors.push(error);
      else errors.push(new ManifestError(file.name, 1, 1, (error as Error).message));
    }
  }
  return { manifests, errors };
}
