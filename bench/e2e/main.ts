// Runs the end-to-end section alone: `npx tsx bench/e2e/main.ts [--quick]`.
import { runE2eBench } from './run-e2e-bench';

runE2eBench({ quick: process.argv.includes('--quick'), log: (line) => console.error(line) })
  .then((result) => console.log(JSON.stringify(result, null, 2)))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
