import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/client-error.ts';
import { createFakeClient, emptyStats, makeList, makeStats } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';

type Project = ResponseOf<'project-open'>;

const project = (name: string, images: number, runs: number): Project => ({
  dir: `/data/projects/${name.toLowerCase()}`,
  catalogPath: `/data/projects/${name.toLowerCase()}/catalogue.sqlite`,
  name,
  images,
  runs,
  openedAt: null,
  isSample: false,
  problem: null,
  imageKey: name.toLowerCase().padEnd(32, '0'),
});

fakeLayoutEachTest();

/** Two projects, A (empty, open) and B; opening one makes it current, as the core does. */
function twoProjects() {
  const a = project('Alpha', 0, 0);
  const b = project('Beta', 21, 2);
  const state = { current: a, projects: [a, b] };
  const client = createFakeClient({
    'app-info': () => ({
      mode: 'browser',
      version: '0.1.0',
      catalogPath: state.current.catalogPath,
      dataDir: '/data',
      canPickFolder: false,
    }),
    'catalogue-stats': () => (state.current === a ? emptyStats() : makeStats(21)),
    'catalogue-list': () => makeList(state.current === a ? 0 : 21),
    'runs-list': () => ({ runs: [] }),
    'project-list': () => ({ current: state.current, projects: state.projects }),
    'project-open': ({ dir }) => {
      const found = state.projects.find((p) => p.dir === dir);
      if (!found) throw new ClientError('not-a-project', `${dir} is not a FER Studio project.`);
      state.current = found;
      return found;
    },
    'project-create': ({ name }) => {
      const created = project(name, 0, 0);
      state.projects = [created, ...state.projects];
      state.current = created;
      return created;
    },
    'project-rename': ({ dir, name }) => {
      state.projects = state.projects.map((p) => (p.dir === dir ? { ...p, name } : p));
      state.current = state.projects.find((p) => p.dir === state.current.dir) ?? state.current;
      return state.current;
    },
    'project-delete': ({ dir }) => {
      state.projects = state.projects.filter((p) => p.dir !== dir);
      return { deleted: dir };
    },
  });
  return { client, state, a, b };
}

describe('projects in the app', () => {
  it('the nav and the window title show the open project; the start screen lists projects with counts', async () => {
    const { client } = twoProjects();
    renderApp(client);
    expect((await screen.findByTestId('project-name')).textContent).toBe('Alpha');
    await waitFor(() => expect(document.title).toBe('Alpha — FER Studio'));
    const list = await screen.findByTestId('project-list');
    const items = within(list).getAllByTestId('project-item');
    expect(items.map((i) => i.textContent)).toEqual([
      'Alpha0 images · 0 runs',
      'Beta21 images · 2 runs',
    ]);
    expect((items[0] as HTMLButtonElement).disabled).toBe(true); // the open one
  });

  it('opening another project reloads every page from its catalogue', async () => {
    const { client, b } = twoProjects();
    renderApp(client);
    const list = await screen.findByTestId('project-list');
    const statsBefore = client.requestsTo('catalogue-stats').length;
    fireEvent.click(within(list).getAllByTestId('project-item')[1] as HTMLElement);
    await waitFor(() => expect(client.requestsTo('project-open')).toEqual([{ dir: b.dir }]));
    act(() => client.emit('project-changed', { project: b }));
    expect(await screen.findByTestId('grid')).toBeTruthy();
    expect(client.requestsTo('catalogue-stats').length).toBeGreaterThan(statsBefore);
    await waitFor(() => expect(screen.getByTestId('project-name').textContent).toBe('Beta'));
    expect(document.title).toBe('Beta — FER Studio');
  });

  it('every thumbnail carries the open project key, so a cached image of another project never shows', async () => {
    const { client, a, b } = twoProjects();
    renderApp(client);
    const list = await screen.findByTestId('project-list');
    fireEvent.click(within(list).getAllByTestId('project-item')[1] as HTMLElement);
    await waitFor(() => expect(client.requestsTo('project-open')).toEqual([{ dir: b.dir }]));
    act(() => client.emit('project-changed', { project: b }));
    await waitFor(() => expect(screen.getAllByTestId('grid-item').length).toBeGreaterThan(0));
    const sources = screen
      .getAllByTestId('grid-item')
      .map((item) => item.querySelector('img')?.getAttribute('src'));
    for (const src of sources)
      expect(src).toMatch(new RegExp(`^fake-image://${b.imageKey}/\\d+\\.png$`));
    expect(sources.some((src) => src?.includes(String(a.imageKey)))).toBe(false);
  });

  it('a refused switch (a run trains) keeps the menu open and says why', async () => {
    const { client, b } = twoProjects();
    client.handlers['project-open'] = () => {
      throw new ClientError('busy', 'Run 3 is training in this project; stop it before switching.');
    };
    renderApp(client);
    fireEvent.click(await screen.findByTestId('project-menu'));
    const menu = await screen.findByRole('dialog', { name: 'Projects' });
    const items = await within(menu).findAllByTestId('project-item');
    fireEvent.click(items[1] as HTMLElement);
    await waitFor(() => expect(client.requestsTo('project-open')).toEqual([{ dir: b.dir }]));
    const error = await within(menu).findByTestId('project-error');
    expect(error.textContent).toContain('Run 3 is training');
    expect(screen.getByRole('dialog', { name: 'Projects' })).toBeTruthy();
  });

  it('creates and renames from the project menu', async () => {
    const { client } = twoProjects();
    renderApp(client);
    fireEvent.click(await screen.findByTestId('project-menu'));
    const menu = await screen.findByRole('dialog', { name: 'Projects' });
    fireEvent.change(within(menu).getByTestId('new-project-name'), {
      target: { value: '  My photos ' },
    });
    fireEvent.click(within(menu).getByTestId('create-project'));
    await waitFor(() =>
      expect(client.requestsTo('project-create')).toEqual([{ name: 'My photos' }]),
    );
    await waitFor(() => expect(screen.getByTestId('project-name').textContent).toBe('My photos'));

    fireEvent.click(screen.getByTestId('project-menu'));
    const again = await screen.findByRole('dialog', { name: 'Projects' });
    fireEvent.change(within(again).getByTestId('rename-project-name'), {
      target: { value: 'Family photos' },
    });
    fireEvent.click(within(again).getByTestId('rename-project'));
    await waitFor(() =>
      expect(client.requestsTo('project-rename')).toEqual([
        { dir: '/data/projects/my photos', name: 'Family photos' },
      ]),
    );
    await waitFor(() =>
      expect(screen.getByTestId('project-name').textContent).toBe('Family photos'),
    );
  });

  it('the app (with a folder picker) opens a project folder from anywhere', async () => {
    const { client, b } = twoProjects();
    const info = await (client.handlers['app-info'] as () => ResponseOf<'app-info'>)();
    client.handlers['app-info'] = () => ({ ...info, mode: 'electron', canPickFolder: true });
    const picks: (string | null)[] = [null, b.dir];
    client.handlers['dialog-pick-folder'] = () => ({ folder: picks.shift() ?? null });
    renderApp(client);
    const button = await screen.findByTestId('open-project-folder');
    fireEvent.click(button); // cancelled in the picker: nothing opens
    await waitFor(() => expect(client.requestsTo('dialog-pick-folder')).toHaveLength(1));
    expect(client.requestsTo('project-open')).toEqual([]);
    fireEvent.click(button);
    await waitFor(() => expect(client.requestsTo('project-open')).toEqual([{ dir: b.dir }]));
  });

  it('the project menu closes with Escape and with a click elsewhere', async () => {
    const { client } = twoProjects();
    renderApp(client);
    fireEvent.click(await screen.findByTestId('project-menu'));
    expect(await screen.findByRole('dialog', { name: 'Projects' })).toBeTruthy();
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Projects' })).toBeNull());
    fireEvent.click(screen.getByTestId('project-menu'));
    const menu = await screen.findByRole('dialog', { name: 'Projects' });
    fireEvent.mouseDown(within(menu).getByTestId('new-project-name')); // inside: stays open
    expect(screen.queryByRole('dialog', { name: 'Projects' })).toBeTruthy();
    fireEvent.mouseDown(document.body);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Projects' })).toBeNull());
  });

  it('in the sample project, Import folder is off and says why', async () => {
    const { client, state, b } = twoProjects();
    state.current = { ...b, name: 'Sample — synthetic faces', isSample: true };
    renderApp(client);
    const button = (await screen.findByTestId('import-folder')) as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(true));
    expect(button.title).toMatch(/create a project for your own images/);
  });

  it('a project that cannot open says why, and the open one stays', async () => {
    const { client, state } = twoProjects();
    state.projects = [...state.projects, { ...project('Gone', 0, 0), dir: '/elsewhere/gone' }];
    client.handlers['project-open'] = () => {
      throw new ClientError('not-a-project', '/elsewhere/gone is not a FER Studio project.');
    };
    renderApp(client);
    const list = await screen.findByTestId('project-list');
    fireEvent.click(within(list).getAllByTestId('project-item')[2] as HTMLElement);
    const error = await screen.findByTestId('project-error');
    expect(error.dataset['code']).toBe('not-a-project');
    expect(error.textContent).toContain('Not a FER Studio project');
    expect(screen.getByTestId('project-name').textContent).toBe('Alpha');
  });

  it('deletes another project after a question naming it and its counts; never the open one', async () => {
    const { client, b } = twoProjects();
    renderApp(client);
    fireEvent.click(await screen.findByTestId('project-menu'));
    const menu = await screen.findByRole('dialog', { name: 'Projects' });
    await within(menu).findAllByTestId('project-item');
    const deletes = within(menu).getAllByTestId('project-delete');
    expect(deletes).toHaveLength(1); // Beta only: the open project has none
    fireEvent.click(deletes[0] as HTMLElement);
    const question = within(menu).getByTestId('project-delete-confirm');
    expect(question.textContent).toContain('“Beta”');
    expect(question.textContent).toContain('21 images and 2 runs');
    expect(client.requestsTo('project-delete')).toEqual([]);
    fireEvent.click(within(question).getByTestId('project-delete-no'));
    expect(within(menu).queryByTestId('project-delete-confirm')).toBeNull();
    fireEvent.click(within(menu).getByTestId('project-delete'));
    fireEvent.click(within(menu).getByTestId('project-delete-yes'));
    await waitFor(() => expect(client.requestsTo('project-delete')).toEqual([{ dir: b.dir }]));
    await waitFor(() =>
      expect(
        within(menu)
          .getAllByTestId('project-item')
          .map((i) => i.textContent),
      ).toEqual(['Alpha0 images · 0 runs']),
    );
    expect(screen.getByTestId('project-name').textContent).toBe('Alpha');
  });

  it('a refused delete says why and keeps the project listed', async () => {
    const { client } = twoProjects();
    client.handlers['project-delete'] = () => {
      throw new ClientError('bad-request', '/data/projects/beta also holds another catalogue.');
    };
    renderApp(client);
    fireEvent.click(await screen.findByTestId('project-menu'));
    const menu = await screen.findByRole('dialog', { name: 'Projects' });
    fireEvent.click(await within(menu).findByTestId('project-delete'));
    fireEvent.click(within(menu).getByTestId('project-delete-yes'));
    const error = await within(menu).findByTestId('project-error');
    expect(error.textContent).toContain('also holds another catalogue');
    expect(within(menu).getAllByTestId('project-item')).toHaveLength(2);
  });

  it('a switch made in another tab shows a banner here instead of silently showing the other project', async () => {
    const { client, state, b } = twoProjects();
    renderApp(client);
    await screen.findByTestId('project-list'); // Alpha's start screen
    const statsBefore = client.requestsTo('catalogue-stats').length;
    state.current = b; // another tab opened Beta: only the event reaches this one
    act(() => client.emit('project-changed', { project: b }));
    const banner = await screen.findByTestId('project-changed-elsewhere');
    expect(banner.textContent).toContain('“Alpha” was closed');
    expect(banner.textContent).toContain('“Beta”');
    expect(screen.queryByTestId('project-list')).toBeNull(); // no stale page to act on
    expect(screen.queryByTestId('grid')).toBeNull();
    fireEvent.click(within(banner).getByTestId('project-changed-reload'));
    expect(await screen.findByTestId('grid')).toBeTruthy();
    expect(client.requestsTo('catalogue-stats').length).toBeGreaterThan(statsBefore);
    expect(screen.queryByTestId('project-changed-elsewhere')).toBeNull();
  });

  it('a switch made in this tab, or a rename from another, shows no banner', async () => {
    const { client, state, a, b } = twoProjects();
    renderApp(client);
    const list = await screen.findByTestId('project-list');
    fireEvent.click(within(list).getAllByTestId('project-item')[1] as HTMLElement);
    await waitFor(() => expect(client.requestsTo('project-open')).toEqual([{ dir: b.dir }]));
    act(() => client.emit('project-changed', { project: b }));
    expect(await screen.findByTestId('grid')).toBeTruthy();
    const renamed = { ...b, name: 'Beta photos' };
    state.projects = [a, renamed];
    state.current = renamed;
    act(() => client.emit('project-changed', { project: renamed }));
    await waitFor(() => expect(screen.getByTestId('project-name').textContent).toBe('Beta photos'));
    expect(screen.queryByTestId('project-changed-elsewhere')).toBeNull();
  });
});
