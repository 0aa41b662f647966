// What each mode is, as a static table: what it reads and writes, whether it keeps names and pins, and
// its words in the log and the summary. Settings, the run, the report and the summary read these facts
// instead of branching on mode names; the mode's code (modes/<name>.ts) loads only when a run asks for
// it. A new mode is one row here and one module.

export const modeNames = ['rewrite', 'resolve', 'relocate', 'package', 'unpackage', 'plan'] as const;
export type ModeName = (typeof modeNames)[number];

export interface ModeFacts {
  /** Asks registries anything (every mode but rewrite); only these can verify. */
  readonly readsRegistries: boolean;
  /** Moves images (relocate, package, unpackage): the platforms input applies, progress lines are shown. */
  readonly copies: boolean;
  /** Pushes to registries (relocate, unpackage): the repository and keep-tags inputs decide the tags. */
  readonly pushes: boolean;
  /** Writes the archive (package) rather than pushing. */
  readonly writesArchive: boolean;
  /** Reads the archive (unpackage): verification is offline. */
  readonly readsArchive: boolean;
  /** Names stay as written (resolve, package, plan): no default repo applies. */
  readonly keepsNames: boolean;
  /** New references carry a digest. */
  readonly pins: boolean;
  /** An empty set of images is an error. */
  readonly needsImages: boolean;
  /** The commit writes the lock (plan writes its plan file and nothing else). */
  readonly writesLock: boolean;
  /** The commit edits the manifests (package and plan record digests without editing). */
  readonly edits: boolean;
  /** The commit writes a plan (plan-file) for a matrix to work on. */
  readonly writesPlan: boolean;
  /** Works on one shard of a plan (input plan with shard). */
  readonly shardable: boolean;
  /** The log group's title. */
  readonly title: string;
  /** The headline's verbs: what was done, and what to do. */
  readonly done: string;
  readonly todo: string;
  /** What the image table calls the new reference. */
  readonly newColumn: string;
  /** The headline counts image fields, not images (modes that edit in place without copying). */
  readonly countsFields: boolean;
}

const reads = {
  readsRegistries: true,
  needsImages: true,
  writesLock: true,
  edits: true,
  writesPlan: false,
  countsFields: false,
  newColumn: 'Pinned to',
};
const moves = { ...reads, copies: true, pins: true };

export const modes: Readonly<Record<ModeName, ModeFacts>> = {
  rewrite: {
    readsRegistries: false,
    copies: false,
    pushes: false,
    writesArchive: false,
    readsArchive: false,
    keepsNames: false,
    pins: false,
    needsImages: false,
    writesLock: true,
    edits: true,
    writesPlan: false,
    shardable: false,
    title: 'Rewrite',
    done: 'Rewrote',
    todo: 'rewrite',
    newColumn: 'Pinned to',
    countsFields: true,
  },
  resolve: {
    ...reads,
    copies: false,
    pushes: false,
    writesArchive: false,
    readsArchive: false,
    keepsNames: true,
    pins: true,
    shardable: true,
    title: 'Resolve',
    done: 'Pinned',
    todo: 'pin',
    countsFields: true,
  },
  relocate: {
    ...moves,
    pushes: true,
    writesArchive: false,
    readsArchive: false,
    keepsNames: false,
    shardable: true,
    title: 'Relocate',
    done: 'Relocated',
    todo: 'relocate',
  },
  package: {
    ...moves,
    pushes: false,
    writesArchive: true,
    readsArchive: false,
    edits: false,
    keepsNames: true,
    shardable: true,
    title: 'Package',
    done: 'Packaged',
    todo: 'package',
  },
  unpackage: {
    ...moves,
    pushes: true,
    writesArchive: false,
    readsArchive: true,
    keepsNames: false,
    shardable: false,
    title: 'Unpackage',
    done: 'Unpackaged',
    todo: 'unpackage',
  },
  plan: {
    ...reads,
    copies: false,
    pushes: false,
    writesArchive: false,
    readsArchive: false,
    keepsNames: true,
    pins: true,
    writesLock: false,
    edits: false,
    writesPlan: true,
    shardable: false,
    title: 'Plan',
    done: 'Planned',
    todo: 'plan',
    newColumn: 'Planned as',
  },
};

/** The modes with a fact, in the catalogue's order, as a sentence names them: `resolve, relocate or package`. */
export function modesWhere(fact: (facts: ModeFacts) => boolean): string {
  const names = modeNames.filter((name) => fact(modes[name]));
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
