// Run before the tests (npm's pretest): fail fast, with the fix, when the server jar has not been built.
import { existsSync } from 'node:fs';
import { jarPath } from './harness.mjs';

if (!existsSync(jarPath)) {
  console.error(`Gatehouse jar not found at ${jarPath}.`);
  console.error('Build the jar first: at the repository root run  mvn -B -q package -DskipTests  then  npm test  again.');
  process.exit(1);
}
