import { quietNodeVersionWarning } from '../src/quiet-warnings.js';

quietNodeVersionWarning();
