// Imported by main.ts before TypeORM and zod load: what they offer loads when first used.
import { loadTypeormDriversOnDemand, loadZodLocalesOnDemand } from './infra/on-demand';

loadTypeormDriversOnDemand();
loadZodLocalesOnDemand();
