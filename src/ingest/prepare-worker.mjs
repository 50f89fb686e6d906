// Entry of an extraction worker thread (see pool.ts). Worker threads do not inherit the TypeScript
// loader that bin/newsgraph.js registers, so register tsx here, then load the task (a TS module).
import { register } from 'tsx/esm/api';

register();
const task = await import('./prepare-task.ts');
task.warmUp();

export default task.default;
