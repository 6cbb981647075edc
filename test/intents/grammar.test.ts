import { describe, expect, it } from 'vitest';
import { CONFIDENT, recognizeGrammar } from '../../src/intents/grammar.js';

type Case = [text: string, intent: string, slots: Record<string, string | number | boolean>];

const cases: Case[] = [
  // commands
  ['/aiops deploy payments v1.2 prod', 'deploy', { service: 'payments', version: 'v1.2', environment: 'prod' }],
  ['deploy orders 2.0.0 staging', 'deploy', { service: 'orders', version: '2.0.0', environment: 'staging' }],
  ['/aiops rollback payments prod', 'rollback', { service: 'payments', environment: 'prod' }],
  ['/aiops status', 'status', {}],
  ['/aiops status payments', 'status', { service: 'payments' }],
  ['/aiops help deploy', 'help', { topic: 'deploy' }],
  ['/aiops whoami', 'whoami', {}],
  ['/aiops grant U123 devops', 'grant', { user: 'U123', role: 'devops' }],
  ['/aiops revoke U123', 'revoke', { user: 'U123' }],
  ['/aiops lock payments prod release freeze', 'lock', { service: 'payments', environment: 'prod' }],
  ['/aiops unlock payments prod', 'unlock', { service: 'payments', environment: 'prod' }],
  ['/aiops audit 30', 'audit', { limit: 30 }],
  ['/aiops scaffold ledger-api python-fastapi postgresql', 'scaffold', { name: 'ledger-api', template: 'python-fastapi', database: 'postgresql' }],
  ['/aiops troubleshoot payments', 'troubleshoot', { service: 'payments' }],
  ['/aiops recover payments restart', 'recover', { service: 'payments', action: 'restart' }],
  // chat
  ['<@U0BOT> please deploy kyc-service 3.4.1 to production', 'deploy', { service: 'kyc-service', version: '3.4.1', environment: 'prod' }],
  ['could we get fx-rates v2 out to stg today?', 'deploy', { service: 'fx-rates', version: 'v2', environment: 'staging' }],
  ['ship edge-proxy to dev', 'deploy', { service: 'edge-proxy', environment: 'dev' }],
  ['Deploying cart 1.9.0 to PROD please', 'deploy', { service: 'cart', version: '1.9.0', environment: 'prod' }],
  ['deploy the ledger service to staging', 'deploy', { service: 'ledger', environment: 'staging' }],
  ['deploy payments 61049424 to dev', 'deploy', { service: 'payments', version: '61049424', environment: 'dev' }],
  ['orders staging is acting up', 'status', { service: 'orders', environment: 'staging' }],
  ['force deploy payments v1.3 to prod, CI is flaky', 'deploy', { service: 'payments', version: 'v1.3', environment: 'prod', force: true }],
  ['rollback cart on prod to 1.8.2', 'rollback', { service: 'cart', environment: 'prod', version: '1.8.2' }],
  ['pls revert fx-rates in staging', 'rollback', { service: 'fx-rates', environment: 'staging' }],
  ['cart is on fire in production, roll it back', 'rollback', { service: 'cart', environment: 'prod' }],
  ["what's running in prod?", 'status', { environment: 'prod' }],
  ['how is kyc-service looking on staging', 'status', { service: 'kyc-service', environment: 'staging' }],
  ['any pending approvals for cart?', 'status', { service: 'cart', subject: 'approvals' }],
  ['which version of ledger is live?', 'status', { service: 'ledger', environment: 'prod', subject: 'versions' }],
  ['why did the cart pipeline fail?', 'troubleshoot', { service: 'cart' }],
  ['why is pipeline 88231 red', 'troubleshoot', { pipeline: '88231' }],
  ["fx-rates build is failing, what's wrong?", 'troubleshoot', { service: 'fx-rates' }],
  ['restart ledger in prod', 'recover', { service: 'ledger', action: 'restart', environment: 'prod' }],
  ['scale out edge-proxy, latency is through the roof', 'recover', { service: 'edge-proxy', action: 'scale' }],
  ['edge-proxy-5xx-rate is firing, roll back edge-proxy', 'recover', { service: 'edge-proxy', action: 'rollback', alarm: 'edge-proxy-5xx-rate' }],
  ['free up disk space on ledger', 'recover', { service: 'ledger', action: 'cleanup' }],
  ['create a new service called risk-engine in go with dynamodb', 'scaffold', { name: 'risk-engine', template: 'go-gin', database: 'dynamodb' }],
  ['new node service named push-gateway, no database', 'scaffold', { name: 'push-gateway', template: 'nodejs-express', database: 'none' }],
  ['help', 'help', {}],
  ['what can you do?', 'help', {}],
  ['how do I use rollback?', 'help', { topic: 'rollback' }],
  ['who am i', 'whoami', {}],
  ['what role do I have?', 'whoami', {}],
  ['grant <@U0ALICE> senior dev', 'grant', { user: '<@U0ALICE>', role: 'senior_dev' }],
  ['make erin an admin', 'grant', { user: 'erin', role: 'admin' }],
  ["remove mallory's access", 'revoke', { user: 'mallory' }],
  ['lock cart prod: black friday', 'lock', { service: 'cart', environment: 'prod', reason: 'black friday' }],
  ['unlock cart in production', 'unlock', { service: 'cart', environment: 'prod' }],
  ['show me the last 15 audit entries', 'audit', { limit: 15 }],
  // a command written as code
  ['`deploy checkout 2.4.1 qa`', 'deploy', { service: 'checkout', version: '2.4.1', environment: 'qa' }],
  ['pls run `lock payments staging`', 'lock', { service: 'payments', environment: 'staging' }],
  ['`troubleshoot cart #4410`', 'troubleshoot', { service: 'cart', pipeline: '4410' }],
  ['I tried `deploy cart prod` but got an error', 'unknown', {}],
  // environments qualified by a region or a number, kept as written
  ['deploy orders to us-west-2-prod', 'deploy', { service: 'orders', environment: 'us-west-2-prod' }],
  ['rollback billing in eu-staging to 1.4.0', 'rollback', { service: 'billing', environment: 'eu-staging', version: '1.4.0' }],
  ["how's cart doing in prod-eu?", 'status', { service: 'cart', environment: 'prod-eu' }],
  ['restart ledger on staging-2', 'recover', { service: 'ledger', action: 'restart', environment: 'staging-2' }],
  ['deploy eu-payments 1.2 to staging', 'deploy', { service: 'eu-payments', version: '1.2', environment: 'staging' }],
  // "develop": the dev environment after a preposition, a branch otherwise
  ['ship fx-rates to develop', 'deploy', { service: 'fx-rates', environment: 'dev' }],
  ['deploy cart from develop to staging', 'deploy', { service: 'cart', environment: 'staging' }],
  ['push the fix to develop', 'unknown', {}],
  // weak environment words as a command's positional argument
  ['lock ledger uat', 'lock', { service: 'ledger', environment: 'uat' }],
  ['rollback cart sandbox 1.2.0', 'rollback', { service: 'cart', environment: 'sandbox', version: '1.2.0' }],
  ['deploy payments qa tests', 'deploy', { service: 'payments' }],
  // key-value style
  ['rollback: ledger, env: prod, version: 2.0.1', 'rollback', { service: 'ledger', environment: 'prod', version: '2.0.1' }],
  ['deploy: cart, env: perf', 'deploy', { service: 'cart', environment: 'perf' }],
  // forcing past failed checks
  ['deploy ledger 4.5.2 to prod with override', 'deploy', { service: 'ledger', version: '4.5.2', environment: 'prod', force: true }],
  ['ignore the flaky tests and ship cart to staging', 'deploy', { service: 'cart', environment: 'staging', force: true }],
  // "need X rolled back", "need X deployed"
  ['we need payments reverted in prod asap', 'rollback', { service: 'payments', environment: 'prod' }],
  ['need orders deployed to staging', 'deploy', { service: 'orders', environment: 'staging' }],
  ['payments was rolled back yesterday', 'unknown', {}],
  // deployment history
  ['what went out to prod this morning', 'status', { environment: 'prod', subject: 'deployments' }],
  ['release history for cart in staging', 'status', { service: 'cart', environment: 'staging', subject: 'deployments' }],
  // chat shorthand
  ['how r the pipelines for cart', 'status', { service: 'cart', subject: 'pipelines' }],
  ['how r u doing today', 'unknown', {}],
  // cleanup slang and gerunds; mitigation with an explicit action
  ['wipe tmp on ledger in staging', 'recover', { service: 'ledger', action: 'cleanup', environment: 'staging' }],
  ['purge old log files on search-indexer', 'recover', { service: 'search-indexer', action: 'cleanup' }],
  ['can you nuke the cache for the cdn', 'unknown', {}],
  ['mitigate the orders outage by scaling out orders', 'recover', { service: 'orders', action: 'scale' }],
  ['mitigate the cart incident: rollback in prod', 'recover', { service: 'cart', action: 'rollback', environment: 'prod' }],
  ['recover ledger by cleaning up old logs', 'recover', { service: 'ledger', action: 'cleanup' }],
  ['mitigate the risk of the migration', 'unknown', {}],
  // help and whoami
  ['hi, new here, how can I interact with the bot?', 'help', {}],
  ['which account am I logged in as', 'whoami', {}],
  ['who am I logged in as', 'whoami', {}],
  // a quoted reason
  ['lock cart prod "load test until 5pm"', 'lock', { service: 'cart', environment: 'prod', reason: 'load test until 5pm' }],
  // statements, opinions and nouns that use our words
  ['rolling out of the office now', 'unknown', {}],
  ['deploying on a friday afternoon is risky', 'unknown', {}],
  ['rolling back is always scary', 'unknown', {}],
  ['the new version of Slack is annoying', 'unknown', {}],
  ['the lock policy doc is outdated', 'unknown', {}],
  ["let's discuss the staging lock rules at retro", 'unknown', {}],
  ['lock prod on friday', 'lock', { environment: 'prod' }],
  // environments the lexicon does not know, introduced by a preposition, kept as written
  ['promote ledger to perf', 'deploy', { service: 'ledger', environment: 'perf' }],
  ['rollback orders on preview to 1.2.0', 'rollback', { service: 'orders', version: '1.2.0', environment: 'preview' }],
  ['unlock orders in demo', 'unlock', { service: 'orders', environment: 'demo' }],
  ['restart orders on canary-eu', 'recover', { service: 'orders', action: 'restart', environment: 'canary-eu' }],
  ['ship cart from staging to int', 'deploy', { service: 'cart', environment: 'int' }],
  ['is the test env up?', 'status', { environment: 'test' }],
  ['deploy cart to staging, we want to test the new search', 'deploy', { service: 'cart', environment: 'staging' }],
  ['restart cart, it crashes on load', 'recover', { service: 'cart', action: 'restart' }],
  ['going to demo on friday', 'unknown', {}],
  // a weak environment word right after the service, or as a command argument
  ['cleanup on ledger qa', 'recover', { service: 'ledger', action: 'cleanup', environment: 'qa' }],
  ['thaw orders qa', 'unlock', { service: 'orders', environment: 'qa' }],
  ['restart cart uat', 'recover', { service: 'cart', action: 'restart', environment: 'uat' }],
  // going past a freeze or a lock is forcing, not lifting it
  ['bypass the deploy freeze and ship orders to staging', 'deploy', { service: 'orders', environment: 'staging', force: true }],
  ['ignore the release lock and push orders 2.0 to staging', 'deploy', { service: 'orders', version: '2.0', environment: 'staging', force: true }],
  // a branch as the version
  ['deploy cart off the hotfix-99 branch to staging', 'deploy', { service: 'cart', version: 'hotfix-99', environment: 'staging' }],
  ['push orders master to dev', 'deploy', { service: 'orders', version: 'master', environment: 'dev' }],
  ['deploy cart from the feature branch', 'deploy', { service: 'cart' }],
  // requests as nouns, and courtesy or prepositions from other languages
  ['can you please to do deployment of orders on staging', 'deploy', { service: 'orders', environment: 'staging' }],
  ['merci, restart ledger in staging', 'recover', { service: 'ledger', action: 'restart', environment: 'staging' }],
  ['bitte rollback de cart en prod', 'rollback', { service: 'cart', environment: 'prod' }],
  ['gracias', 'unknown', {}],
  // status asked in passing, about locks and approvals, or as a terse fragment
  ['not sure whether orders is up', 'status', { service: 'orders' }],
  ['is there a deploy freeze on staging?', 'status', { environment: 'staging', subject: 'locks' }],
  ['anyone have a lock on orders?', 'status', { service: 'orders', subject: 'locks' }],
  ['stuff requiring sign-off for cart?', 'status', { service: 'cart', subject: 'approvals' }],
  ['is there an outage right now?', 'status', { subject: 'incidents' }],
  ['payments prd fine?', 'status', { service: 'payments', environment: 'prod' }],
  ['overall status pls', 'status', {}],
  ['is there a lock on the meeting room', 'unknown', {}],
  ['is there an outage at the office?', 'unknown', {}],
  ['who has the lock on roadmap.docx', 'unknown', {}],
  ['is the door locked?', 'unknown', {}],
  ['lunch ok?', 'unknown', {}],
  // mitigating an incident is a recovery; the recovery verb is never the service
  ['Incident: orders 5xx in prod. Mitigate by rolling back orders.', 'recover', { service: 'orders', action: 'rollback', environment: 'prod' }],
  ['payments dead on prod, recycle it', 'recover', { service: 'payments', action: 'restart', environment: 'prod' }],
  ['mitigate the risk by rolling back cart', 'rollback', { service: 'cart' }],
  // scaffold templates named as "the <language> template"
  ['scaffold orders-api using the go template', 'scaffold', { name: 'orders-api', template: 'go-gin' }],
  // a person's presence, a physical scaffold, a question to the people in the channel
  ['update my status to busy', 'unknown', {}],
  ['the scaffold is up outside the office', 'unknown', {}],
  ['can anyone recommend a scaffold hire firm', 'unknown', {}],
  ['does anyone know a good deploy tool', 'unknown', {}],
  // out of scope, including our words in other senses
  ['thanks aiops!', 'unknown', {}],
  ['good morning', 'unknown', {}],
  ['can you order pizza for the team', 'unknown', {}],
  ['the deploy party is at 5', 'unknown', {}],
  ['our status page vendor is down', 'unknown', {}],
  ['please lock the office door when you leave', 'unknown', {}],
  ['the release notes need another pass', 'unknown', {}],
  ['who am i pairing with today?', 'unknown', {}],
  ['give me a minute', 'unknown', {}],
  ['restart your computer and try again', 'unknown', {}],
  ['rotate the api keys for cart', 'unknown', {}],
  ['', 'unknown', {}],
  ['🎉🎉🎉', 'unknown', {}],
  // an action forbidden or put on hold is not asked for; "stop the X deploy" is left as it was
  ["pls don't deploy ledger until the migration is done", 'unknown', {}],
  ['never roll back payments without asking me first', 'unknown', {}],
  ['no need to restart orders, it recovered on its own', 'unknown', {}],
  ['hold off deploying cart, QA found a bug', 'unknown', {}],
  ['wait with the rollback of orders until 5', 'unknown', {}],
  ['stop restarting search every hour', 'unknown', {}],
  ['stop the cart deploy', 'deploy', { service: 'cart' }],
  ["please don't roll back orders during the orders outage, mitigate differently", 'unknown', {}],
  ['cart-5xx-rate alarm is firing, roll back cart', 'recover', { service: 'cart', action: 'rollback', alarm: 'cart-5xx-rate' }],
  ["don't wait, deploy orders 1.2 to prod", 'deploy', { service: 'orders', version: '1.2', environment: 'prod' }],
  ['roll back cart on prod, the new version is not working', 'rollback', { service: 'cart', environment: 'prod' }],
  ['deploy cart to prod, not staging', 'deploy', { service: 'cart', environment: 'prod' }],
  ['why is cart not restarting? please restart it', 'recover', { service: 'cart', action: 'restart' }],
  // reports of what was done, and questions to a person about it
  ['bounced ledger on staging, looks healthy now', 'unknown', {}],
  ['we rolled orders back to 2.1 last night', 'unknown', {}],
  ["ok I've locked staging for the load test", 'unknown', {}],
  ['orders 4.2.0 went out to prod this morning', 'unknown', {}],
  ['search 1.4 is now live on staging', 'unknown', {}],
  ['<@U0PEER> did you roll back orders already?', 'unknown', {}],
  ['@sam have you deployed ledger to staging yet?', 'unknown', {}],
  ['the fix is pushed, please ship orders 1.4 to staging', 'deploy', { service: 'orders', version: '1.4', environment: 'staging' }],
  ['search 1.4 is out in prod, please deploy orders 2.0 to prod too', 'deploy', { service: 'orders', version: '2.0', environment: 'prod' }],
  ['has anyone restarted cart? if not, please restart it', 'recover', { service: 'cart', action: 'restart' }],
  ['is cart healthy again?', 'status', { service: 'cart' }],
  // plans, conditions and hypotheticals
  ["we'll roll back orders if errors keep climbing", 'unknown', {}],
  ["once the pipeline is green we'll ship ledger to prod", 'unknown', {}],
  ['if the canary looks good, promote cart to prod', 'unknown', {}],
  ["let's restart search tomorrow morning", 'unknown', {}],
  ['I might scale ledger up later', 'unknown', {}],
  ['what if we froze staging for a week', 'unknown', {}],
  ['would it be a good idea to roll back cart?', 'unknown', {}],
  ["let's roll back orders on prod", 'rollback', { service: 'orders', environment: 'prod' }],
  ['if possible, restart ledger in staging', 'recover', { service: 'ledger', action: 'restart', environment: 'staging' }],
  ["scale ledger up, we'll need the capacity tonight", 'recover', { service: 'ledger', action: 'scale' }],
  ["I'll need orders on prod by tomorrow", 'deploy', { service: 'orders', environment: 'prod' }],
  ['I need access on staging by 5', 'unknown', {}],
  // announcements; a time range is never a version
  ['FYI: ledger 3.1 is rolling out to staging', 'unknown', {}],
  ['heads-up — prod will be locked 9:00-9:30 tomorrow', 'unknown', {}],
  ['reminder: we deploy cart to prod at 3pm', 'unknown', {}],
  // a time after at/by/around is not a version
  ['ship orders to staging at 4.15 please', 'deploy', { service: 'orders', environment: 'staging' }],
  ['rollback cart to 2.10 around 16.30', 'rollback', { service: 'cart', version: '2.10' }],
  ['deploy web 3.30 to prod', 'deploy', { service: 'web', version: '3.30', environment: 'prod' }],
  // branches: a trunk after from/off, a slashed ref after the service or before "branch"
  ['deploy cart from master to staging', 'deploy', { service: 'cart', version: 'master', environment: 'staging' }],
  ['ship payments to uat off main', 'deploy', { service: 'payments', version: 'main', environment: 'uat' }],
  ['deploy ledger jdoe/retry-fix to dev', 'deploy', { service: 'ledger', version: 'jdoe/retry-fix', environment: 'dev' }],
  ['deploy cart to dev using the bugfix/pay-12 branch', 'deploy', { service: 'cart', version: 'bugfix/pay-12', environment: 'dev' }],
  // skipping tests or approvals is forcing; "without downtime" is not
  ['ship cart to prod and skip the integration tests', 'deploy', { service: 'cart', environment: 'prod', force: true }],
  ['deploy orders to staging without approvals', 'deploy', { service: 'orders', environment: 'staging', force: true }],
  ['deploy cart to prod without downtime', 'deploy', { service: 'cart', environment: 'prod' }],
  // "take X back to V"; a version named for what it broke is not the target
  ['bring cart back to v2.1 on staging', 'rollback', { service: 'cart', environment: 'staging', version: 'v2.1' }],
  ['put orders on prod back to 10.2.0', 'rollback', { service: 'orders', environment: 'prod', version: '10.2.0' }],
  ['roll ledger back in staging, 4.1 broke the login', 'rollback', { service: 'ledger', environment: 'staging' }],
  ['roll ledger back to 4.0 in staging, 4.1 broke the login', 'rollback', { service: 'ledger', environment: 'staging', version: '4.0' }],
  // terse status: the service first, "check X on Y", "up or down?"
  ['orders status prod', 'status', { service: 'orders', environment: 'prod' }],
  ['check orders in staging', 'status', { service: 'orders', environment: 'staging' }],
  ['payments on prod, healthy or not?', 'status', { service: 'payments', environment: 'prod' }],
  ['check the logs on qa', 'unknown', {}],
  ['locks on stg?', 'status', { environment: 'staging', subject: 'locks' }],
  // a lock reason after "for", but not a duration, a plain noun phrase or the service
  ['lock cart on staging for load testing, thanks', 'lock', { service: 'cart', environment: 'staging', reason: 'load testing' }],
  ['lock cart on prod for 2 hours', 'lock', { service: 'cart', environment: 'prod' }],
  ['lock staging for cart and orders', 'lock', { service: 'cart', environment: 'staging' }],
];

describe('the offline grammar', () => {
  it.each(cases)('%j -> %s %j', (text, intent, slots) => {
    const result = recognizeGrammar(text);
    expect(result.intent).toBe(intent);
    expect(result.slots).toEqual(slots);
  });

  it('is confident about commands, so they never need the LLM', () => {
    for (const text of ['/aiops deploy payments v1.2 prod', 'rollback payments prod', 'status orders']) {
      expect(recognizeGrammar(text).confidence).toBeGreaterThanOrEqual(CONFIDENT);
    }
  });

  it('marks follow-ups instead of guessing an intent', () => {
    expect(recognizeGrammar('now prod')).toMatchObject({ intent: 'unknown', followUp: { environment: 'prod' } });
    expect(recognizeGrammar('same for orders')).toMatchObject({ intent: 'unknown', followUp: { service: 'orders' } });
    expect(recognizeGrammar('and staging too')).toMatchObject({ intent: 'unknown', followUp: { environment: 'staging' } });
  });

  it('is deterministic', () => {
    expect(recognizeGrammar('ship orders to staging')).toEqual(recognizeGrammar('ship orders to staging'));
  });

  it('handles a very long message quickly enough to finish', () => {
    const long = `${'lorem ipsum dolor sit amet '.repeat(2000)} deploy payments v1 to prod`;
    expect(recognizeGrammar(long).intent).toBe('deploy');
  });

  it('reads the head and the tail of a long paste, where people put the ask', () => {
    const trace = Array.from({ length: 400 }, (_, i) => `    at Object.handler (/app/src/worker-${i}.js:${i}:17)`).join('\n');
    expect(recognizeGrammar(`why did the payments pipeline fail? it dies with\n${trace}`)).toMatchObject({ intent: 'troubleshoot', slots: { service: 'payments' } });
    expect(recognizeGrammar(`TypeError: cannot read properties of undefined\n${trace}\nplease roll back orders in prod`)).toMatchObject({ intent: 'rollback', slots: { service: 'orders', environment: 'prod' } });
    // what sits in the middle of 40 KB is not read as a request
    expect(recognizeGrammar(`${'x '.repeat(10_000)} deploy payments to prod ${'y '.repeat(10_000)}`).intent).toBe('unknown');
    // a quoted lock reason is found at the end of any message, and an unclosed quote costs nothing
    expect(recognizeGrammar(`lock payments prod "${'pen test '.repeat(4000)}`).slots).not.toHaveProperty('reason');
  });

  it('reads long runs of negations, plans and clauses without backtracking', () => {
    expect(recognizeGrammar(`${'do not '.repeat(6000)}deploy cart to prod`).intent).toBe('unknown');
    expect(recognizeGrammar("heads up, if we might not deploy, let's ".repeat(1200)).intent).toBe('unknown');
    expect(recognizeGrammar(`roll cart back, ${'3.2 broke '.repeat(4000)}`).slots).not.toHaveProperty('version');
  });
});
