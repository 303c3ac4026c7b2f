// Where a function's code lives: `<functionsDir>/NAME.{mjs,js,cjs,ts,mts}` or `<functionsDir>/NAME/index.*`,
// and never anywhere else: the name must be one a Lambda function can have, and the file, symlinks resolved,
// must be inside the folder (symlinks resolved too). A name is resolved once per change of its file: the
// folders it was found through are watched (fs.watch, not keeping the process alive) and any change in them
// forgets what was found there; where a folder cannot be watched, each call checks the file with one stat()
// (inode, size, times) instead.
import { realpathSync, statSync, watch } from "node:fs";
import type { FSWatcher, Stats } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { isValidFunctionName } from "./function-ref.ts";

const EXTENSIONS = [".mjs", ".js", ".cjs", ".ts", ".mts"];

/** A function's handler module. */
export interface LocatedFunction {
  /** The module's real path (symlinks resolved), inside the functions folder. */
  readonly file: string;
  /** Changes whenever the file is edited or replaced: warm environments of another revision are retired. */
  readonly revision: string;
}

interface Entry extends LocatedFunction {
  /** The path the name resolved through (symlinks not resolved). */
  readonly path: string;
  /** Its folders are watched: a change forgets the entry. Else one stat() per call checks it. */
  readonly watched: boolean;
}

function revisionOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

/** stat() of a path, undefined when it cannot be read (missing, ENOTDIR, EACCES...). */
function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Finds handler modules in one folder. */
export class FunctionLocator {
  private readonly root: string;
  private readonly cache = new Map<string, Entry>();
  /** Watched folders; null for one that cannot be watched (no inotify, a file system without events). */
  private readonly watchers = new Map<string, FSWatcher | null>();

  constructor(functionsDir: string) {
    this.root = resolve(functionsDir);
  }

  /** The handler module of a function, or undefined when the folder has none (or the name cannot be a function's). */
  locate(name: string): LocatedFunction | undefined {
    if (!isValidFunctionName(name)) return undefined;
    const cached = this.cache.get(name);
    if (cached) {
      if (cached.watched) return cached;
      const stats = statOrUndefined(cached.path);
      if (stats && revisionOf(stats) === cached.revision) return cached;
      this.cache.delete(name);
    }
    const found = this.resolve(name);
    if (found) this.cache.set(name, found);
    return found;
  }

  private resolve(name: string): Entry | undefined {
    // The folder itself may be a symlink (or be replaced by one): its real path is the boundary.
    const rootReal = realpathOrUndefined(this.root);
    if (rootReal === undefined) return undefined;
    const candidates = [...EXTENSIONS.map((ext) => join(this.root, name + ext)), ...EXTENSIONS.map((ext) => join(this.root, name, "index" + ext))];
    for (const path of candidates) {
      const stats = statOrUndefined(path);
      if (!stats?.isFile()) continue;
      const file = realpathOrUndefined(path);
      // A symlink (of the file or of `NAME/`) that leads out of the folder is not a function of this folder.
      if (file === undefined || !file.startsWith(rootReal + sep)) continue;
      // Watched from now on: the folder of the name, the folder the file really is in, and the functions
      // folder (where a NAME.mjs or a NAME/ can appear in front of what was found).
      const watched = [this.root, dirname(path), dirname(file)].map((dir) => this.watch(dir)).every(Boolean);
      return { path, file, revision: revisionOf(stats), watched };
    }
    return undefined;
  }

  /** Watches a folder (once); false when it cannot be watched. */
  private watch(dir: string): boolean {
    const known = this.watchers.get(dir);
    if (known !== undefined) return known !== null;
    let watcher: FSWatcher | null = null;
    try {
      watcher = watch(dir, { persistent: false }, () => this.cache.clear());
      watcher.on("error", () => {
        // A folder that went away (or a watch that failed later): forget everything, check by stat() from now on.
        watcher?.close();
        this.watchers.set(dir, null);
        this.cache.clear();
      });
    } catch {
      watcher = null;
    }
    this.watchers.set(dir, watcher);
    return watcher !== null;
  }

  /** Stops watching. */
  close(): void {
    for (const watcher of this.watchers.values()) watcher?.close();
    this.watchers.clear();
    this.cache.clear();
  }
}
