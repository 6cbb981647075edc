import { writeFileSync } from 'node:fs';
import { renderTemplate } from '../src/sessions/cloudformation.js';

writeFileSync(new URL('../deploy/dynamodb.cfn.json', import.meta.url), renderTemplate());
process.stdout.write('wrote deploy/dynamodb.cfn.json\n');
