// The registries a run talks to: the registry client configured from the run's settings, with the
// credentials Docker and Kubernetes would use. Loaded only by modes that talk to registries.
import { execHelper } from './registry/credential-helper.js';
import { CredentialStore } from './registry/credentials.js';
import { Registries } from './registry/registries.js';
import type { Deadline } from './registry/retry.js';
import type { Report } from './report.js';
import type { Settings } from './settings.js';

/** The registries a run talks to, with the credentials Docker and Kubernetes would use. */
export function openRegistries(
  settings: Settings,
  deadline: Deadline,
  report: Pick<Report, 'secret' | 'tokenSecret' | 'notice' | 'info'>,
  onRetry?: () => void,
): Registries {
  const credentials = new CredentialStore({
    dockerConfigDir: settings.dockerConfig,
    ...(settings.registryAuthFile === undefined ? {} : { authFile: settings.registryAuthFile }),
    onSecret: report.secret,
    runHelper: execHelper,
  });
  return new Registries({
    insecureRegistries: settings.insecureRegistries,
    caCertificates: settings.caCertificates,
    credentials,
    // What Registries registers itself is the tokens registries hand out.
    onSecret: report.tokenSecret,
    userAgent: 'ferry',
    concurrency: settings.concurrency,
    deadline,
    onNotice: report.notice,
    onLog: report.info,
    ...(onRetry === undefined ? {} : { onRetry }),
    mirrors: settings.registryMirrors,
    ...(settings.insecureFromCheckout === undefined ? {} : { insecureFromCheckout: settings.insecureFromCheckout }),
  });
}
