// What an image holds, read from the graph of its manifests: an index's children may share manifests
// (the same child listed twice, nested indexes listing one image), so every question here visits each
// manifest once, however many paths lead to it: a source cannot make answering them exponential.
import type { DecodedManifest, Manifest } from '../oci/manifest.js';
import { platformText } from '../oci/manifest.js';
import { isAttestationManifest } from '../oci/manifest.js';

/** A manifest read and decoded, with the manifests it holds. */
export interface Node {
  readonly manifest: Manifest;
  readonly decoded: DecodedManifest;
  readonly children: readonly Node[];
}

/** Every manifest of the graph once, the root first, then depth first in the order the indexes list them. */
function distinct(root: Node): Node[] {
  const seen = new Set<string>();
  const order: Node[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (seen.has(node.manifest.descriptor.digest)) continue;
    seen.add(node.manifest.descriptor.digest);
    order.push(node);
    for (let at = node.children.length - 1; at >= 0; at--) stack.push(node.children[at] as Node);
  }
  return order;
}

/** The digests of a manifest and every manifest it holds, each once. */
export function manifestsOf(root: Node): string[] {
  return distinct(root).map((node) => node.manifest.descriptor.digest);
}

/** `os/architecture[/variant]` of each image of an index, nested indexes read once each; empty for a single image. */
export function platformsOf(root: Node): string[] {
  const platforms: string[] = [];
  const entered = new Set<string>();
  const visit = (node: Node): void => {
    node.decoded.children.forEach((child, at) => {
      if (isAttestationManifest(child)) return;
      const nested = node.children[at];
      if (nested !== undefined && nested.decoded.kind === 'index') {
        if (entered.has(child.digest)) return;
        entered.add(child.digest);
        visit(nested);
        return;
      }
      const text = platformText(child.platform);
      if (text !== '') platforms.push(text);
    });
  };
  visit(root);
  return platforms;
}

/** How many buildx attestation manifests the image's indexes list, each index counted once. */
export function countAttestations(root: Node): number {
  return distinct(root).reduce((sum, node) => sum + node.decoded.children.filter(isAttestationManifest).length, 0);
}
