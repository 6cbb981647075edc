import { anyOf, NPM_ERR, signal } from './signal.js';
import type { Playbook } from './types.js';

// A wrong image name is a configuration error, not a network blip.
const notWrongImage = (m: RegExpExecArray): Record<string, string> | null =>
  /manifest unknown|not found|pull access denied|does not exist|invalid reference/i.test(m.input) ? null : {};

// Refused by localhost means a service of the job did not start: the cause is elsewhere in the log.
const notLocalhost = (m: RegExpExecArray): Record<string, string> | null => (/localhost|127\.0\.0\.1|0\.0\.0\.0|\[?::1\]?:/.test(m.input) ? null : {});

export const transientNetworkFailure: Playbook = {
  id: 'pb-infra-001',
  title: 'Transient network or runner failure',
  risk: 'low',
  autoFix: 'retry',
  explains: ['pb-dep-001', 'pb-dep-002', 'pb-dep-003', 'pb-test-000'],
  signals: [
    signal(
      'dns-failure',
      anyOf(
        [
          /Could not resolve host|Could not resolve proxy|Could not resolve '[\w.-]{1,200}'/,
          /getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|\bEAI_AGAIN\b/,
          /Temporary failure in name resolution|Temporary failure resolving/,
          /no such host|Name or service not known|nodename nor servname provided|server misbehaving|\bUnknownHostException\b/,
          /No such host is known|The remote name could not be resolved|Gem::RemoteFetcher::UnknownHostError/, // Windows, .NET, RubyGems
        ],
        'i',
      ),
      0.85,
    ),
    signal(
      'connection-timeout',
      anyOf(
        [
          /\bE?TIMEDOUT\b|\bESOCKETTIMEDOUT\b|ERR_SOCKET_TIMEOUT/,
          /Connection timed out|connect timed out|Read timed out|Operation timed out|\bi\/o timeout\b/,
          /TLS handshake timeout|Client\.Timeout exceeded|net\/http: request canceled/,
          /ConnectTimeoutError|ReadTimeoutError|ConnectTimeout\b/,
        ],
        'i',
      ),
      0.8,
    ),
    signal(
      'connection-reset',
      anyOf(
        [
          /\bECONNRESET\b|Connection reset by peer|socket hang up|\bEPIPE\b/,
          /Connection aborted|RemoteDisconnected|IncompleteRead|ChunkedEncodingError/,
          /Remote host terminated the handshake|SSL_ERROR_SYSCALL|gnutls_handshake\(\) failed|unexpected EOF while reading/,
          /the remote end hung up unexpectedly|early EOF|RPC failed; curl \d{1,3}/,
        ],
        'i',
      ),
      0.78,
    ),
    // Windows sockets (.NET, git, PowerShell) and strerror in other locales (de, es, fr): timeouts, resets, name lookups.
    signal(
      'localized-network-failure',
      anyOf(
        [
          /connected party did not properly respond after a period of time|forcibly closed by the remote host/,
          /The underlying connection was closed|HttpClient\.Timeout of \d{1,6} seconds elapsing/,
          /Temporärer Fehler bei der Namensauflösung|Der angegebene Host ist unbekannt|Der Remotename konnte nicht aufgelöst werden/,
          /vom Remotehost geschlossen|Gegenstelle nach einer bestimmten Zeitspanne nicht|Verbindung vom Kommunikationspartner zurückgesetzt|Die Wartezeit für die Verbindung ist abgelaufen/,
          /Fallo temporal en la resolución del nombre|Expiró el tiempo de conexión|Conexión reinicializada por la máquina remota|interrupción de una conexión existente por el host remoto/,
          /la parte conectada no respondió adecuadamente|Échec temporaire dans la résolution du nom|Connexion ré-?initialisée par le correspondant|Délai d'attente de la connexion dépassé/,
        ],
        'i',
      ),
      0.8,
    ),
    // Package managers' own words for a download that broke: composer/Guzzle, Bundler, apk, dnf/yum, container registries.
    signal(
      'download-interrupted',
      anyOf([
        /curl error (?:6|7|18|28|35|52|56) while downloading|cURL error (?:6|7|18|28|35|52|56):|Curl error \((?:6|7|28|35|56)\): /,
        /\bNet::(?:OpenTimeout|ReadTimeout)\b|Gem::RemoteFetcher::FetchError|Bundler::HTTPError/,
        /temporary error \(try again later\)|fetch-pack: unexpected disconnect|GnuTLS recv error|Connection was reset/,
        /received unexpected HTTP status: 5\d\d|unexpected status code [^\n]{0,200}: 5\d\d /,
      ]),
      0.78,
    ),
    signal('connection-refused-remote', /\bECONNREFUSED\b|Connection refused|Failed to connect to \S{1,200} port \d{1,5}|network is unreachable|No route to host/i, 0.55, notLocalhost),
    signal(
      'python-retry-connection',
      /Retrying \(Retry\(total=\d{1,3}[^\n]{0,300}(?:NewConnectionError|ConnectTimeoutError|ReadTimeoutError|ProtocolError|SSLError|RemoteDisconnected)|NewConnectionError|MaxRetryError/,
      0.8,
    ),
    signal(
      'npm-network',
      anyOf([
        new RegExp(`${NPM_ERR} network`),
        /network request to \S{1,300} failed|There appears to be trouble with your network connection/,
        /ERR_PNPM_META_FETCH_FAIL|ERR_PNPM_FETCH_5\d\d/,
      ]),
      0.82,
    ),
    signal(
      'http-5xx',
      anyOf(
        [
          /\b50[234] (?:Bad Gateway|Service (?:Temporarily )?Unavailable|Gateway Time-?out|Server Error)/,
          /\bBad Gateway\b|\bService (?:Temporarily )?Unavailable\b|\bGateway Time-?out\b/,
          /HTTP (?:error |response code:? |code:? |status:? )?50[234]\b|status(?: code)?:? 50[234]\b|response code:? 50[234]\b/,
          /The requested URL returned error: 50[234]|\b50[234] (?:for|from|while) (?:URL|GET|getting|https?:)/,
        ],
        'i',
      ),
      0.75,
    ),
    signal('rate-limited', /toomanyrequests|You have reached your (?:unauthenticated )?pull rate limit|429 Too Many Requests|API rate limit exceeded|secondary rate limit/i, 0.8),
    signal(
      'runner-system-failure',
      anyOf(
        [
          /Job failed \(system failure\)|There has been a runner system failure|runner-system-failure|ERROR: Preparation failed/,
          /stuck_or_timeout_failure|pod [^\n]{1,200} is disrupted|EvictionByEvictionAPI/,
          /The runner has received a shutdown signal|The operation was canceled because the runner/,
          /lost communication with the server|Agent [^\n]{0,100} lost communication/,
          /The hosted runner encountered an error|Received request to deprovision/,
          /We stopped hearing from agent|Agent went offline during the build|hudson\.remoting\.ChannelClosedException|Exited with status -1 \(agent lost\)/,
        ],
        'i',
      ),
      0.9,
    ),
    signal(
      'docker-daemon',
      /Cannot connect to the Docker daemon|error during connect: |Error response from daemon: Get "?https?:\/\/[^\n]{1,300}(?:net\/http|dial tcp|EOF|context deadline exceeded|i\/o timeout)/,
      0.82,
    ),
    signal('image-pull-failed', /failed to pull image|Failed to pull image|ErrImagePull|ImagePullBackOff|error pulling image configuration/, 0.7, notWrongImage),
    signal(
      'artifact-transfer-failed',
      anyOf(
        [
          /Could not transfer artifact [^\n]{1,300}(?:Connection|timed out|reset|Remote host|Read timed out|handshake|50[234])/,
          /Could not (?:HEAD|GET) '[^']{1,300}'|Unable to download artifact|Failed to download action/,
        ],
        'i',
      ),
      0.78,
    ),
    signal('apt-mirror', /Hash Sum mismatch|E: Failed to fetch \S{1,300} {1,2}(?:50[234]|Connection|Could not|Temporary)|Mirror sync in progress/i, 0.78),
    signal('cargo-spurious', /spurious network error|failed to download from `|failed to fetch `https?:/, 0.75),
    signal('nuget-source-unreachable', /\bNU1301\b|Unable to load the service index for source/, 0.8),
    // CircleCI's no-output limit says `context deadline exceeded` too: that is the job's own time limit.
    signal('context-deadline', /context deadline exceeded/, 0.6, (m) => (/Too long with no output/.test(m.input) ? null : {})),
  ],
  summary: () => 'A transient network or runner failure: something the job depends on (a registry, Git, the runner itself) did not answer.',
  remediation: () => [
    'Retry the job: nothing in the change caused this.',
    "If it keeps happening, check the runner's network and DNS, the registry status pages, and rate limits (authenticate Docker Hub pulls, use a pull-through cache or a dependency proxy).",
  ],
};
