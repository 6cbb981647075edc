import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../../src/remediation/analyze.js';
import { githubStep, gitlabJob } from '../runners.js';

// A cause printed early (a service container's own log, an install that gave up) and the tests it broke printed last.
const SERVICE_DID_NOT_START = (service: string, containerLog: string): string =>
  `*** WARNING: Service runner-abc-project-1-concurrent-0-${service}-0 probably didn't start properly.\n\nHealth check error:\nservice "runner-abc-project-1-concurrent-0-${service}-0-wait-for-service" timeout\n\nService container logs:\n${containerLog}\n\n*********\n`;

const PYTEST_ERRORS = (error: string): string =>
  [
    '$ pytest -q',
    'tests/integration/test_store.py EEE                                  [100%]',
    '==================================== ERRORS ====================================',
    '__________ ERROR at setup of test_saves_order __________',
    `E   ${error}`,
    '=========================== short test summary info ============================',
    `ERROR tests/integration/test_store.py::test_saves_order - ${error.slice(0, 40)}...`,
    `ERROR tests/integration/test_store.py::test_lists_orders - ${error.slice(0, 40)}...`,
    `ERROR tests/integration/test_store.py::test_deletes_order - ${error.slice(0, 40)}...`,
    '================= 12 passed, 3 errors in 4.10s =================',
  ].join('\n');

const PG_REFUSED = 'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "postgres" (172.17.0.3), port 5432 failed: Connection refused';

describe('a missing variable or a refused configuration outweighs the tests it broke', () => {
  const cases: Array<[string, string, string, string | undefined]> = [
    [
      'postgres service without POSTGRES_PASSWORD',
      gitlabJob('python:3.12', `${SERVICE_DID_NOT_START('postgres', 'Error: Database is uninitialized and superuser password is not specified.\n       You must specify POSTGRES_PASSWORD to a non-empty value for the\n       superuser.')}${PYTEST_ERRORS(PG_REFUSED)}`),
      'pb-env-001',
      'POSTGRES_PASSWORD',
    ],
    [
      'mysql service without a root password',
      gitlabJob('python:3.12', `${SERVICE_DID_NOT_START('mysql', '2024-06-01 10:00:00+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD')}${PYTEST_ERRORS("pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on 'mysql' ([Errno 111] Connection refused)\")")}`),
      'pb-env-001',
      undefined,
    ],
    ['docker/login-action with empty username and password', githubStep('docker/login-action@v3', 'with:\n  username: \n  password: \n  logout: true\n##[endgroup]\n##[error]Username and password required'), 'pb-env-001', undefined],
    [
      'redis service refusing its config file, then its name does not resolve',
      gitlabJob('python:3.12', `${SERVICE_DID_NOT_START('redis', '*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\nReading the configuration file, at line 4\n>>> \'maxmemory-policy "allkeys-lru2"\'')}${PYTEST_ERRORS('redis.exceptions.ConnectionError: Error -2 connecting to redis:6379. Name or service not known.')}`),
      'pb-env-002',
      undefined,
    ],
    [
      'postgres service refusing a server parameter',
      gitlabJob('python:3.12', `${SERVICE_DID_NOT_START('postgres', '2024-06-01 10:00:00.000 UTC [1] FATAL:  invalid value for parameter "max_connections": "many"')}${PYTEST_ERRORS(PG_REFUSED)}`),
      'pb-env-002',
      undefined,
    ],
  ];
  it.each(cases)('%s', (_name, log, playbookId, variable) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe(playbookId);
    if (variable) expect(diagnosis.slots.variable).toBe(variable);
    expect(diagnosis.autoFix).toBeUndefined();
  });
});

describe('pip retries to the index that end in "(from versions: none)": the index was unreachable', () => {
  const retry = (total: number, pkg: string): string =>
    `WARNING: Retrying (Retry(total=${total}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/${pkg}/`;
  const install = (pkg: string, pin: string): string =>
    [
      '$ pip install -r requirements.txt',
      'Successfully installed fastapi-0.111.0 httpx-0.27.0',
      `$ pip install -r requirements-test.txt || echo "test extras failed; continuing"`,
      ...[4, 3, 2, 1, 0].map((total) => retry(total, pkg)),
      `ERROR: Could not find a version that satisfies the requirement ${pkg}==${pin} (from versions: none)`,
      `ERROR: No matching distribution found for ${pkg}==${pin}`,
      'test extras failed; continuing',
    ].join('\n');
  const cases: Array<[string, string]> = [
    ['the tests then miss the package the requirements pin', gitlabJob('python:3.11', `${install('pytest-httpx', '0.30.0')}\n${PYTEST_ERRORS("ModuleNotFoundError: No module named 'pytest_httpx'")}`)],
    ['the install is the last thing', gitlabJob('python:3.11', install('pytest-mock', '3.14.0'))],
  ];
  it.each(cases)('%s', (_name, log) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-infra-001');
    expect(diagnosis.autoFix?.kind).not.toBe('add-dependency');
  });

  it('a package that is not on the index, without network errors, is still a dependency problem', () => {
    const log = gitlabJob('python:3.11', '$ pip install -r requirements.txt\nERROR: Could not find a version that satisfies the requirement pytset==8.2.0 (from versions: none)\nERROR: No matching distribution found for pytset==8.2.0');
    expect(analyzeFailure(log).playbookId).toBe('pb-dep-001');
  });
});
