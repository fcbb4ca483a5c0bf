#!/usr/bin/env node
import { buildCli } from '../src/cli/main.ts';

await buildCli().parseAsync(process.argv);
