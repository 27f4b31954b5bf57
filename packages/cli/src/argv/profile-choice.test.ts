import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type Context } from '../io/context.js';
import { chooseProfile } from './profile-choice.js';

async function context(env: NodeJS.ProcessEnv, interactive: boolean, config?: string): Promise<{ ctx: Context; asked: string[][] }> {
  const dir = await mkdtemp(join(tmpdir(), 'vault-choice-'));
  const configPath = join(dir, 'config');
  if (config !== undefined) await writeFile(configPath, config);
  const asked: string[][] = [];
  const base = createContext({ debug: false, env });
  const ctx: Context = {
    ...base,
    configPath,
    interactive: () => interactive,
    prompter: {
      ...base.prompter,
      select: async (message, choices) => {
        asked.push([message, ...choices]);
        return choices[1] as string;
      },
    },
  };
  return { ctx, asked };
}

const CONFIG = '[profile prod]\n[default]\n[profile dev]\n';

describe('chooseProfile', () => {
  it('takes the profile named, then $AWS_PROFILE, without asking', async () => {
    const { ctx, asked } = await context({ AWS_PROFILE: 'from-env' }, true, CONFIG);
    expect(await chooseProfile(ctx, 'named')).toBe('named');
    expect(await chooseProfile(ctx, undefined)).toBe('from-env');
    expect(asked).toEqual([]);
  });

  it("with neither, asks on a terminal from the config's profiles, as aws-vault does", async () => {
    const { ctx, asked } = await context({ AWS_PROFILE: '' }, true, CONFIG);
    expect(await chooseProfile(ctx, undefined)).toBe('dev');
    // aws-vault's order: the file's, an empty [default] left out.
    expect(asked).toEqual([['Choose AWS profile:', 'prod', 'dev']]);
  });

  it('without a terminal, or with no profiles to list, is "default", as the AWS CLI has it', async () => {
    const script = await context({}, false, CONFIG);
    expect(await chooseProfile(script.ctx, undefined)).toBe('default');
    const empty = await context({}, true);
    expect(await chooseProfile(empty.ctx, undefined)).toBe('default');
    expect([...script.asked, ...empty.asked]).toEqual([]);
  });

  it("says that AWS_DEFAULT_PROFILE, which the AWS CLI v1 reads, is not read, when it would have decided", async () => {
    const said: string[] = [];
    const { ctx } = await context({ AWS_DEFAULT_PROFILE: 'alice' }, false, CONFIG);
    const told = { ...ctx, info: (m: string) => void said.push(m) };
    expect(await chooseProfile(told, undefined)).toBe('default');
    expect(said).toEqual(['AWS_DEFAULT_PROFILE=alice is not read by vault (nor by aws-vault): name the profile, or set AWS_PROFILE.']);
    expect(await chooseProfile(told, 'named')).toBe('named');
    expect(said).toHaveLength(1);
  });
});
