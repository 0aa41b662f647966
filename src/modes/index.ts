// The modes by name, each loaded when a run asks for it: rewrite needs neither the registry client
// nor the copy.
import type { ModeName } from './catalog.js';
import type { Mode } from './mode.js';

export async function loadMode(name: ModeName): Promise<Mode> {
  switch (name) {
    case 'rewrite':
      return (await import('./rewrite.js')).rewrite;
    case 'resolve':
      return (await import('./resolve.js')).resolve;
    case 'relocate':
      return (await import('./relocate.js')).relocate;
    case 'package':
      return (await import('./package.js')).packageMode;
    case 'unpackage':
      return (await import('./unpackage.js')).unpackage;
    case 'plan':
      return (await import('./plan.js')).plan;
  }
}
