// The archives an input names, found as unpackage reads them and as package reads a delta's bases: a
// file, an OCI layout folder, or the parts an archive was written in.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isLayoutFolder } from '../archive/layout-dir.js';
import { type Archive, readArchive } from '../archive/read.js';
import { partsOf } from '../archive/span-names.js';
import { inputFiles } from '../manifests/files.js';
import type { Settings } from '../settings.js';
import type { ModeContext } from './mode.js';

export interface ArchiveInput {
  readonly name: string;
  readonly real: string;
  readonly parts?: string[];
  readonly folder?: boolean;
}

/**
 * The archives an input names (`archive`, `since`), each a file, a layout folder, or (a path that is not
 * there) the parts it was written in, `<archive>.001` on, each checked to be inside the boundary.
 */
export async function archiveInputs(settings: Settings, patterns: readonly string[], what: string): Promise<ArchiveInput[]> {
  const found: ArchiveInput[] = [];
  for (const pattern of patterns) {
    const literal = !/[*?[]/.test(pattern);
    const file = literal ? path.resolve(settings.files.root, pattern) : undefined;
    if (file !== undefined && (await isLayoutFolder(file))) {
      // An OCI layout folder: its own folder inside the boundary; its files are each checked as they are read.
      found.push({ name: pattern, real: settings.files.realFile(what, file, true), folder: true });
      continue;
    }
    if (file !== undefined && !existsSync(file)) {
      const parts = partsOf(file);
      if (parts.length > 0) {
        const real = parts.map((part) => settings.files.realFile(what, part, true));
        for (const part of real) settings.files.regularFileSize(what, part, true);
        found.push({ name: pattern, real: file, parts: real });
        continue;
      }
      // A path that is not there, nor its parts: say so plainly (a glob that matches nothing says it itself).
      settings.files.regularFileSize(what, file, true);
    }
    for (const matched of await inputFiles(settings.files, what, [pattern], true))
      if (!found.some((other) => other.real === matched.real)) found.push(matched);
  }
  return found;
}

/**
 * Reads every archive an input names, each checked whole before anything is pushed, closed at the end
 * of the run; the log says what each is.
 */
export async function readArchiveInputs(
  context: ModeContext,
  patterns: readonly string[],
  what: string,
): Promise<{ readonly name: string; readonly archive: Archive }[]> {
  const { settings, budget, deadline, log, onCleanup } = context;
  const read: { name: string; archive: Archive }[] = [];
  for (const input of await archiveInputs(settings, patterns, what)) {
    if (input.parts === undefined && input.folder !== true) settings.files.regularFileSize(what, input.real, true);
    const archive = await readArchive(input.real, {
      maxBlobBytes: settings.maxBlobBytes,
      budget,
      ...(deadline === undefined ? {} : { signal: deadline }),
      ...(input.parts === undefined ? {} : { parts: input.parts }),
      ...(input.folder === true ? { folder: true } : {}),
    }).catch((error: unknown) => {
      if (deadline?.aborted)
        throw new Error(
          `${input.name}: the run's deadline (timeout ${settings.timeoutText}) passed while the archive was read; nothing was pushed`,
        );
      throw error;
    });
    onCleanup(archive.close);
    const inParts = input.parts === undefined ? '' : ` in ${input.parts.length} parts`;
    log(`${input.name}${inParts}: ${archive.format}, ${archive.images.length} images`);
    read.push({ name: input.name, archive });
  }
  return read;
}
