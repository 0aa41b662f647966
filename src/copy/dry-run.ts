// A dry run walks and checks as a real copy does, against a sink that answers what the real one holds
// and writes nothing.
import type { Descriptor } from '../oci/descriptor.js';
import type { ImageSink, PutResult } from './endpoint.js';
import type { Manifest } from '../oci/manifest.js';
import type { Repository } from '../oci/repository.js';

/** A dry run is a sink that answers what the real one holds and writes nothing. */
export class DryRunSink implements ImageSink {
  readonly key: string;
  readonly location?: Repository;
  constructor(private readonly sink: ImageSink) {
    this.key = `dry-run:${sink.key}`;
    if (sink.location) this.location = sink.location;
  }
  resolve(reference: string): Promise<Descriptor | undefined> {
    return this.sink.resolve(reference);
  }
  async heldManifest(digest: string): Promise<Manifest> {
    if (this.sink.heldManifest === undefined) throw new Error(`${this.sink.key} holds no manifest before the run: ${digest}`);
    return this.sink.heldManifest(digest);
  }
  /** No mount is tried in a dry run: the real sink is asked. */
  hasBlob(blob: Descriptor): Promise<boolean> {
    return this.sink.hasBlob(blob);
  }
  async putBlob(): Promise<PutResult> {
    return 'uploaded';
  }
  async putManifest(): Promise<{ listed: boolean }> {
    return { listed: true };
  }
}
