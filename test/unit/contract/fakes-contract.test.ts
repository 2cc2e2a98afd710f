// The store contract against the in-memory fakes the core's unit tests use.
import { describeStoreContract } from '#test/contract/store-contract';
import { harness } from '#test/fakes/harness';

describeStoreContract('in-memory fakes', async () => harness().deps);
