// Every registered platform's admin API, built on first use from its module: the write-back and the
// payment check ask for one by platform name, and never see how its tokens are kept.
import type { StoreApi } from '#core/ports/store-api';
import type { RateBudget, StoreApis } from '#core/ports/write-back';
import { moduleConfig } from '../module-kit';
import type { PlatformModule, StoreApiServices } from './platform-module';
import { PLATFORMS } from './registry';

export class RegisteredStoreApis implements StoreApis {
  private readonly built = new Map<string, StoreApi>();

  constructor(
    private readonly services: (platform: string) => StoreApiServices,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly modules: readonly PlatformModule[] = PLATFORMS as readonly PlatformModule[],
  ) {}

  api(platform: string): StoreApi | undefined {
    const known = this.built.get(platform);
    if (known) return known;
    const module = this.modules.find((m) => m.name === platform);
    if (!module?.storeApi) return undefined;
    const api = module.storeApi.create(moduleConfig(module, this.env), this.services(platform));
    this.built.set(platform, api);
    return api;
  }

  budget(platform: string): RateBudget | undefined {
    return this.modules.find((m) => m.name === platform)?.storeApi?.budget;
  }
}
