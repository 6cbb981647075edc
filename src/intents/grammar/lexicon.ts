import type { Database, RecoveryAction, Role, Template } from '../schema.js';

/** Environment words as people write them, normalised to the catalog's names. */
export const ENVIRONMENT_WORDS: Record<string, string> = {
  prod: 'prod',
  production: 'prod',
  prd: 'prod',
  prod1: 'prod',
  live: 'prod',
  staging: 'staging',
  stage: 'staging',
  stg: 'staging',
  stging: 'staging',
  preprod: 'staging',
  'pre-prod': 'staging',
  'pre-production': 'staging',
  preproduction: 'staging',
  dev: 'dev',
  development: 'dev',
  devel: 'dev',
  qa: 'qa',
  uat: 'uat',
  sandbox: 'sandbox',
};

/** Words that may be an environment only when something else says so ("in test", "the perf env"). */
export const WEAK_ENVIRONMENT_WORDS = new Set(['live', 'qa', 'uat', 'sandbox']);

/**
 * Environments some teams have that the lexicon does not normalise: kept as written, and only
 * where a preposition introduces them ("to perf", "in demo"), because most are ordinary words too.
 */
export const NAMED_ENVIRONMENTS = new Set([
  'perf', 'performance', 'test', 'demo', 'preview', 'canary', 'load', 'loadtest', 'int', 'integration', 'sit', 'nonprod', 'non-prod',
]);

/** Prepositions and articles of other languages ("rollback de cart en prod"): never a service. */
const FOREIGN_FUNCTION_WORDS = 'de du des del della da di en el la le les los von zu für pour para por sur dans avec con mit';

export const ROLE_WORDS: Array<[RegExp, Role]> = [
  [/\bsenior[ _-]?dev(eloper)?s?\b/, 'senior_dev'],
  [/\b(read[ _-]?only|viewer|view[ _-]only|observer)\b/, 'viewer'],
  [/\b(devops|ops|sre)\b/, 'devops'],
  [/\b(admins?|administrators?|superuser)\b/, 'admin'],
  [/\b(developers?|dev|engineer)\b/, 'developer'],
];

export const TEMPLATE_WORDS: Array<[RegExp, Template]> = [
  [/\b(python-fastapi|fastapi|python3?|py|flask|django)\b/, 'python-fastapi'],
  [/\b(nodejs-express|express(js)?|node(\.?js)?|javascript|js|typescript|ts)\b/, 'nodejs-express'],
  [/\b(go-gin|gin|golang|go)\b/, 'go-gin'],
];

export const DATABASE_WORDS: Array<[RegExp, Database]> = [
  [/\b(no|without( a| any)?|zero)[ -](db|database|datastore|storage|persistence)\b|\bstateless\b|\b(db|database)[: ]+none\b|--db none/, 'none'],
  [/\b(postgres(ql)?|pg|psql|rds|aurora)\b/, 'postgresql'],
  [/\b(dynamo ?(db)?|ddb)\b/, 'dynamodb'],
];

export const RECOVERY_WORDS: Array<[RegExp, RecoveryAction]> = [
  [/\b(rolling[ -])?(re-?start(ed|ing)?|reboot|bounce|recycle|cycle|kick|power[ -]?cycle|kill the pods?)\b/, 'restart'],
  [/\bscal(e|ed|es|ing)[ -]?(up|down|out|in)?\b|\b(more|extra|add(itional)?) (replicas|instances|pods|nodes|capacity)\b|\bhorizontal(ly)?\b/, 'scale'],
  [/\b(clean(ed|ing)?[ -]?up|cleanup|clear(ed)? (out )?|free[ -]?up|purge|prune|wipe|nuke)\b/, 'cleanup'],
  [/\broll(ing)?( \S+)? back\b|\brollback\b|\brevert(ing)?\b/, 'rollback'],
];

/** Words that are never a service name. */
export const STOPWORDS = new Set(
  (
    'a an the this that these those it its it\'s is are was were be been being am do does did done doing have has had ' +
    'i me my mine we us our you your he she they them their his her to of in on at for from by with without into onto ' +
    'out up down off over under about as and or but if then so than too very just only also again still yet now ' +
    'please pls plz plox thanks thx ty can could would should will shall may might must need needs needed want wants ' +
    'like get got go goes going gone make made let lets let\'s ok okay hey hi hello yo team folks all everyone anyone ' +
    'someone somebody nobody what whats what\'s which who whos who\'s whom why how hows how\'s where when whens ' +
    'there here any some every each no not none new old latest last current previous recent next first other ' +
    'same thing things stuff one two three version versions release releases build builds pipeline pipelines ' +
    'job jobs ci cd deploy deploys deployed deploying deployment deployments service services svc app apps api ' +
    'microservice project repo repository status state health healthy running run runs up down broken failing failed ' +
    'fail fails failure error errors red green stuck issue issues problem problems env environment environments ' +
    'asap rn right now today tonight soon quick quickly real really yes yeah yep nope sure cool nice great ' +
    'lock locked unlock freeze audit grant revoke access role roles permission permissions rollback roll back ' +
    'revert restart scale cleanup clean recover help whoami scaffold create spin set bootstrap generate ' +
    'alarm alarms alert alerts incident incidents approval approvals pods pod replicas instance instances disk ' +
    'logs log tmp memory cpu latency traffic branch main master develop trunk tag tags commit sha aiops bot mind ' +
    'eod eta fyi btw imo lol tbh idk again ago since until till while because after before then ' +
    'broke break breaks happened happen went wrong look looking looks take taking figure seems seem keeps keep ' +
    'throwing hung hammered working works work fix fixed check checking show list tell give send open merge ' +
    'hour hours minute minutes mins sec seconds time times moment bit little lot more less much many few ' +
    'ahead yet today done good bad fine sorry thank hmm hm oh ah well guess think know see said say ' +
    'try tried trying use using used call called named name start started stop stopped ' +
    'investigate investigating debug debugging diagnose diagnosing troubleshoot troubleshooting fired firing ' +
    'freezing frozen paging triggered alarming going coming happening hanging crashing erroring timing ' +
    'again probably maybe possibly definitely actually basically literally already everything something nothing ' +
    'force forced anyway regardless space storage volume volumes file files cache caches today tomorrow tonight ' +
    'through roof flaky slow high low across between both re regarding via per kindly guys folks everybody ' +
    'integration unit e2e smoke regression acceptance capacity recovery restarting rebooting scaling deploying ' +
    'rolling command commands feature features manual docs documentation update updates quarter month year sprint ' +
    'starts ends fresh small simple basic quick funny whole full general currently moment ongoing somebody someone ' +
    'anybody anyone came back anything reason unfreeze thaw user username requesting request requested ' +
    'image images container artifact return restore target acting behaving misbehaving weird strange odd broken fire flames ' +
    'test tests testing action actions him them myself yourself atm dig digging logged free ' +
    'nuke nuking wipe wiping purge purging clear clearing cleaning cleaned freeing trimming mitigate mitigating ' +
    'reverting releasing promoting bouncing overall entire ' +
    FOREIGN_FUNCTION_WORDS
  ).split(' '),
);

/** Days and months are never a service ("deploying on fridays..."); some are people's names, so they are not stopwords. */
export const CALENDAR_WORDS = new Set(
  (
    'monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays sundays ' +
    'mon tue tues wed thu thur thurs fri january february march april june july august september october november december ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec'
  ).split(' '),
);

/** Everyday nouns that show a message is not about a software service. */
export const NON_SERVICE_NOUNS = new Set(
  (
    'laptop laptops screen computer desktop phone printer wifi coffee tea lunch dinner breakfast meeting meetings ' +
    'standup retro reminder calendar expense expenses ticket tickets jira pr prs mr all-hands townhall offsite ' +
    'office chair chairs desk floor room kitchen building car house weather game games team teams headcount ' +
    'candidate candidates hiring interview proposal deadline budget invoice slide slides deck doc docs document ' +
    'notes newsletter announcement reorg party site website blog hugo netlify wordpress marketing sales ' +
    'haiku poem joke song story zoom email emails inbox password vacation holiday week weekend weekday day ' +
    'morning evening night tomorrow yesterday people person manager boss machine bucket s3 database db ' +
    'credentials secret secrets key keys cert certificate node python door doors window windows fridge lights slack msg msgs message messages dm dms photo photos account accounts deleted lost data ' +
    'price prices increase decision decisions premium plan plans package parcel delivery order invoice refund shipment amazon ' +
    'customer customers standup chrome firefox safari outlook excel vscode browser axis chart graph invite invites ' +
    'outage board ticket git drive drives folder mailbox empathy resolution meme'
  ).split(' '),
);

/** Build and CI tools: never the service a message is about ("why does the docker build for x fail"). */
export const TOOL_WORDS = new Set(
  (
    'docker npm npx pip pip3 poetry yarn pnpm maven mvn gradle gradlew eslint prettier jest pytest mocha vitest cargo ' +
    'rustc go terraform helm kubectl kustomize tsc webpack vite sonar sonarqube trivy snyk gitlab github jenkins ' +
    'circleci argocd argo flux ansible make cmake bazel ruff mypy flake8 black golangci-lint playwright cypress cron crontab'
  ).split(' '),
);

/** Personal things: a bare "unlock pls" or "how do I restart it" next to one of these is about it. */
export const PERSONAL_THINGS = new Set(
  (
    'laptop laptops screen computer desktop phone printer wifi account accounts password passwords door doors git ' +
    'browser chrome firefox safari zoom outlook excel vscode package parcel ticket invite mac pc vpn keyboard'
  ).split(' '),
);

/** Nouns that, right after a name, mark it as a service ("the payments pipeline"). */
export const SERVICE_MARKERS = new Set([
  'service', 'svc', 'app', 'api', 'pipeline', 'pipelines', 'build', 'builds', 'deploy', 'deployment', 'deploys',
  'release', 'pods', 'pod', 'ci', 'tests', 'job', 'jobs', 'cluster', 'containers', 'container', 'instances',
  'microservice', 'repo', 'project', 'component', 'backend', 'frontend', 'worker', 'workers',
]);

/** Words the spelling corrector may produce, and which it must never "correct" into something else. */
export const KEYWORDS = [
  'deploy', 'deployed', 'deploying', 'deployment', 'rollback', 'restart', 'scaffold', 'status', 'troubleshoot',
  'unlock', 'lock', 'audit', 'revoke', 'grant', 'production', 'staging', 'development', 'pipeline', 'service',
  'recover', 'release', 'revert', 'help', 'whoami', 'reboot', 'cleanup', 'failed', 'failing', 'create', 'scale',
];

export const COMMON_WORDS = new Set([
  ...STOPWORDS,
  ...NON_SERVICE_NOUNS,
  ...KEYWORDS,
  'look', 'looks', 'block', 'clock', 'rock', 'stack', 'stats', 'stat', 'start', 'stop', 'stopped', 'star', 'state',
  'grand', 'great', 'reset', 'resort', 'result', 'lack', 'luck', 'lick', 'hold', 'hello', 'held', 'hell', 'heap',
  'deal', 'delay', 'employ', 'display', 'decoy', 'reply', 'relay', 'reveal', 'release', 'relapse', 'recovery',
  'revoked', 'granted', 'locks', 'locking', 'statuses', 'services', 'restarts', 'restarted', 'scaled', 'scales',
  'audits', 'audited', 'helps', 'helped', 'helping', 'creates', 'created', 'pipelines', 'failure', 'deployments',
  'service', 'servers', 'server', 'serve', 'device', 'advice', 'notice', 'slice', 'store', 'score', 'scope',
]);
