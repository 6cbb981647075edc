import { approvalRace } from './scenarios/approval-race.js';
import { failover } from './scenarios/failover.js';
import { gitlabStorm } from './scenarios/gitlab-storm.js';
import { slackRetries } from './scenarios/slack-retries.js';
import { storeOutage } from './scenarios/store-outage.js';
import { useFleet } from './support/use-fleet.js';

/**
 * Two `aiops start` processes sharing one embedded store, Slack and GitLab played by local
 * servers in this process (issue 8, item 2). The scenarios run in this order on one fleet.
 */
const fleet = useFleet();

approvalRace(fleet);
slackRetries(fleet);
failover(fleet);
storeOutage(fleet);
gitlabStorm(fleet);
