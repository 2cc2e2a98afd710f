// Runs the cold-start section alone: `npx tsx bench/cold-start/main.ts [--quick] [--node=/path/to/node] [--keep]`.
// Prints progress on stderr and the result as JSON on stdout.
import { runColdStartBench } from './run-cold-start-bench';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');

runColdStartBench(
  { quick: process.argv.includes('--quick'), log: (line) => console.error(line) },
  { node: arg('node'), keep: process.argv.includes('--keep') },
)
  .then((result) => console.log(JSON.stringify(result, null, 2)))
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
