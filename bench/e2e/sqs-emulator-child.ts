// The SQS/SNS emulator in its own process, so its CPU use is measured apart from the pipeline's.
import { startSqsSnsEmulator } from '#local/engines';

startSqsSnsEmulator()
  .then((engine) => {
    process.send?.({ type: 'ready', endpoint: engine.endpoint });
    process.on('disconnect', () => engine.stop().finally(() => process.exit(0)));
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
