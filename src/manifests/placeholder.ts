// Values that are not image references yet: a template, a variable or a build placeholder that a later
// step (helm template, docker compose, envsubst, ko resolve) turns into one. They are left as they are,
// with a notice, never taken for an invalid reference.

/** Why `value` is a placeholder, or undefined when it should be read as a reference. */
export function placeholderReason(value: string): string | undefined {
  if (value.includes('{{')) return 'a Go/Helm template: run ferry on the output of `helm template`';
  if (value.startsWith('ko://')) return 'a ko build placeholder: run ferry on the output of `ko resolve`';
  if (/\$(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/.test(value))
    return 'a shell or compose variable: run ferry after it is substituted (`docker compose config`, `envsubst`)';
  if (/<[^<>]+>/.test(value)) return 'a token to fill in (`<your-image>`): run ferry once it is replaced';
  if (capitalsToken(value))
    return 'a token to replace (an all-capitals name such as `CONTAINER_IMAGES_REGISTRY`): run ferry once it is replaced';
  return undefined;
}

/** An all-capitals word that can be no part of a reference. */
const capitals = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/**
 * Whether an all-capitals token stands where a registry or repository belongs (`REPLACE_ME`,
 * `CONTAINER_IMAGES_REGISTRY/adservice`): with an underscore it can be neither a host nor, in capitals,
 * a repository, so it is a word a `sed` step is meant to replace.
 */
function capitalsToken(value: string): boolean {
  const name = value.split('@')[0]?.replace(/:[\w][\w.-]*$/, '') ?? '';
  return name.split('/').some((part) => capitals.test(part));
}

/** A file that is a template rather than YAML: its parse failed and it holds `{{`. */
export function isTemplateText(text: string): boolean {
  return text.includes('{{');
}

/**
 * A YAML number as Go's %v prints the float64 a chart's values become (Helm reads values through JSON):
 * shortest digits, with an exponent below 1e-4 and from 1e6 on, as `2.0230101e+07`.
 */
export function goNumberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}
