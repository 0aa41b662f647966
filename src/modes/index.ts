// The modes by name.
import type { ModeName } from '../settings.js';
import type { Mode } from './mode.js';
import { packageMode } from './package.js';
import { plan } from './plan.js';
import { relocate } from './relocate.js';
import { resolve } from './resolve.js';
import { rewrite } from './rewrite.js';
import { unpackage } from './unpackage.js';

export const modes: Readonly<Record<ModeName, Mode>> = { rewrite, resolve, relocate, package: packageMode, unpackage, plan };
