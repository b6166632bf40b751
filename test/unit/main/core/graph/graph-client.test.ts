import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../../../main/core/errors';
import {
  createGraphClient,
  wasRequestSent,
  type GraphClientOptions,
  type SendBody,
} from '../../../../../main/core/graph/graph-client';
import { GraphError } from '../../../../../main/core/graph/graph-errors';
import type { GraphUsage } from '../../../../../main/core/graph/usage';
import { memoryLogger } from '../../../../fakes/logger';
import { fakeFetch, fetchFailed, reply, type SeenRequest } from './fake-fetch';

const TOKEN = 'IGAAtesttoken1234567890secret';
const SECRET = 'app-secret-abcdef123456';
const IG_ID = '17841405309211844';
const IGSID = '1284973601758392';

function client(fetch: GraphClientOptions['fetch'], overrides: Partial<GraphClientOptions> = {}) {
  const logger = memoryLogger();
  const graph = createGraphClient({
    fetch,
    graphUrl: 'https://graph.test',
    tokenUrl: 'https://oauth.test',
    version: 'v24.0',
    logger,
    clock: { now: () => Date.parse('2026-03-18T14:05:00Z') },
    ...overrides,
  });
  return { graph, logger };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

async function graphError(promise: Promise<unknown>): Promise<GraphError> {
  const error = await caught(promise);
  expect(error).toBeInstanceOf(GraphError);
  return error as GraphError;
}

function only(requests: SeenRequest[]): SeenRequest {
  expect(requests).toHaveLength(1);
  return requests[0]!;
}

/** Bearer calls never put the token in the URL (docs/platform.md#tokens). */
function expectBearer(request: SeenRequest) {
  expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  expect(request.url.href).not.toContain(TOKEN);
  expect(request.url.searchParams.has('access_token')).toBe(false);
}

/** Sends "hi" to the customer against one Graph answer, and gives the GraphError it ends in. */
function sendFailure(response: Parameters<typeof fakeFetch>[0], extra: Partial<SendBody> = {}) {
  const { fetch } = fakeFetch(response);
  return graphError(
    client(fetch).graph.sendMessage(TOKEN, IG_ID, {
      kind: 'text',
      recipientId: IGSID,
      text: 'hi',
      ...extra,
    } as SendBody),
  );
}

describe('configuration', () => {
  it('builds every Graph URL from the configured base URL and version', async () => {
    const { fetch, requests } = fakeFetch(reply({ user_id: IG_ID, id: '1', username: 'acme' }));
    const { graph } = client(fetch, { graphUrl: 'http://127.0.0.1:4100/graph/', version: 'v25.0' });
    await graph.getMe(TOKEN);
    expect(only(requests).url.origin + only(requests).url.pathname).toBe(
      'http://127.0.0.1:4100/graph/v25.0/me',
    );
  });

  it('defaults to graph.instagram.com, api.instagram.com and v24.0', async () => {
    const { fetch, requests } = fakeFetch(
      reply({ user_id: IG_ID, id: '1', username: 'acme' }),
      reply({ access_token: 'IGAAx', user_id: '1', permissions: 'instagram_business_basic' }),
    );
    const graph = createGraphClient({ fetch, logger: memoryLogger() });
    await graph.getMe(TOKEN);
    await graph.exchangeCode({
      appId: '1',
      appSecret: SECRET,
      redirectUri: 'https://a.test/cb',
      code: 'c',
    });
    expect(requests.map((request) => request.url.origin + request.url.pathname)).toEqual([
      'https://graph.instagram.com/v24.0/me',
      'https://api.instagram.com/oauth/access_token',
    ]);
  });

  it.each([
    [{ version: '24.0' }],
    [{ version: 'v24.0/../me' }],
    [{ graphUrl: 'ftp://graph.test' }],
    [{ graphUrl: 'https://graph.test/?access_token=x' }],
    [{ tokenUrl: 'not a url' }],
  ])('refuses a bad configuration %o', (overrides) => {
    expect(() => client(fakeFetch(reply({})).fetch, overrides)).toThrow(AppError);
  });

  it('encodes ids taken from outside and refuses non-numeric account ids before calling', async () => {
    const { fetch, requests } = fakeFetch(reply({ id: 'x' }));
    const { graph } = client(fetch);
    await graph.getConversationMessages(TOKEN, 'aWdf/../me?x=1');
    expect(only(requests).url.pathname).toBe('/v24.0/aWdf%2F..%2Fme%3Fx%3D1');
    await expect(graph.listConversations(TOKEN, '../me')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(graph.getUserProfile(TOKEN, 'lena.k')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(requests).toHaveLength(1);
  });
});

describe('exchangeCode (docs/platform.md#oauth, docs/platform.md#token-exchange)', () => {
  const input = {
    appId: '990602627938098',
    appSecret: SECRET,
    redirectUri: 'https://calm-otter.ngrok.app/oauth/callback',
    code: 'AQBx-hBsH3#_',
  };

  it('POSTs a form to the token URL with the code stripped of #_ and no Authorization header', async () => {
    const { fetch, requests } = fakeFetch(
      reply({
        data: [
          {
            access_token: 'IGAAshort',
            user_id: '1020',
            permissions: 'instagram_business_basic,instagram_business_manage_messages',
          },
        ],
      }),
    );
    const { graph } = client(fetch);
    const result = await graph.exchangeCode(input);
    const request = only(requests);
    expect(request.method).toBe('POST');
    expect(request.url.href).toBe('https://oauth.test/oauth/access_token');
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(request.headers.has('authorization')).toBe(false);
    expect(Object.fromEntries(new URLSearchParams(request.body ?? ''))).toEqual({
      client_id: '990602627938098',
      client_secret: SECRET,
      grant_type: 'authorization_code',
      redirect_uri: 'https://calm-otter.ngrok.app/oauth/callback',
      code: 'AQBx-hBsH3',
    });
    expect(result).toEqual({
      accessToken: 'IGAAshort',
      userId: '1020',
      permissions: ['instagram_business_basic', 'instagram_business_manage_messages'],
    });
  });

  it('reads the flat shape with a user_id number beyond 2^53, byte for byte', async () => {
    const raw =
      '{"access_token":"IGAAshort","user_id":26893745620197403,"permissions":["instagram_business_basic","instagram_business_manage_messages"]}';
    const { graph } = client(fakeFetch(reply(raw)).fetch);
    expect(await graph.exchangeCode(input)).toEqual({
      accessToken: 'IGAAshort',
      userId: '26893745620197403',
      permissions: ['instagram_business_basic', 'instagram_business_manage_messages'],
    });
  });

  it('reads the wrapped shape with a big numeric user_id too', async () => {
    const raw =
      '{"data":[{"access_token":"IGAAshort","user_id":26893745620197403,"permissions":"instagram_business_basic"}]}';
    const { graph } = client(fakeFetch(reply(raw)).fetch);
    expect(await graph.exchangeCode(input)).toMatchObject({
      userId: '26893745620197403',
      permissions: ['instagram_business_basic'],
    });
  });

  it('says "not reported" rather than "nothing granted" when permissions are missing', async () => {
    const { graph } = client(fakeFetch(reply({ access_token: 'IGAAshort', user_id: '1' })).fetch);
    expect((await graph.exchangeCode(input)).permissions).toBeNull();
  });

  it('turns the flat OAuth error into a reauth GraphError that is never retried', async () => {
    const { fetch } = fakeFetch(
      reply(
        { error_type: 'OAuthException', code: 400, error_message: 'Invalid redirect_uri' },
        { status: 400 },
      ),
    );
    const error = await graphError(client(fetch).graph.exchangeCode(input));
    expect(error.failure).toMatchObject({
      kind: 'reauth',
      reason: 'login-refused',
      graphCode: 400,
    });
    expect(error.message).toContain('Invalid redirect_uri');
    expect(error.isRetryable).toBe(false);
  });
});

describe('long-lived tokens (docs/platform.md#token-exchange, docs/platform.md#token-refresh)', () => {
  it('exchanges a short-lived token with the query parameters Meta requires', async () => {
    const { fetch, requests } = fakeFetch(
      reply({ access_token: 'IGAAlong', token_type: 'bearer', expires_in: 5183944 }),
    );
    const result = await client(fetch).graph.exchangeForLongLived({
      appSecret: SECRET,
      accessToken: TOKEN,
    });
    const request = only(requests);
    expect(request.method).toBe('GET');
    expect(request.url.origin + request.url.pathname).toBe('https://graph.test/access_token');
    expect(Object.fromEntries(request.url.searchParams)).toEqual({
      grant_type: 'ig_exchange_token',
      client_secret: SECRET,
      access_token: TOKEN,
    });
    expect(request.headers.has('authorization')).toBe(false);
    expect(result).toEqual({ accessToken: 'IGAAlong', expiresInSeconds: 5183944 });
  });

  it('refreshes a long-lived token', async () => {
    const { fetch, requests } = fakeFetch(
      reply({ access_token: 'IGAAlong2', token_type: 'bearer', expires_in: '5183944' }),
    );
    const result = await client(fetch).graph.refreshLongLived({ accessToken: TOKEN });
    const request = only(requests);
    expect(request.url.origin + request.url.pathname).toBe(
      'https://graph.test/refresh_access_token',
    );
    expect(Object.fromEntries(request.url.searchParams)).toEqual({
      grant_type: 'ig_refresh_token',
      access_token: TOKEN,
    });
    expect(result).toEqual({ accessToken: 'IGAAlong2', expiresInSeconds: 5183944 });
  });

  it('never logs the token or the secret, even when the call fails', async () => {
    const { fetch } = fakeFetch(
      reply(
        {
          error: {
            message: `Invalid OAuth access token ${TOKEN}`,
            type: 'OAuthException',
            code: 190,
            error_subcode: 463,
          },
        },
        { status: 400 },
      ),
      reply({ access_token: TOKEN, expires_in: 'soon' }),
    );
    const { graph, logger } = client(fetch);
    const expired = await graphError(
      graph.exchangeForLongLived({ appSecret: SECRET, accessToken: TOKEN }),
    );
    expect(expired.failure).toMatchObject({
      kind: 'reauth',
      appCode: 'NOT_CONNECTED',
      subcode: 463,
    });
    const malformed = await graphError(graph.refreshLongLived({ accessToken: TOKEN }));
    expect(malformed.failure.reason).toBe('unexpected-response');
    expect(logger.lines.length).toBeGreaterThanOrEqual(2);
    const logged = JSON.stringify(logger.lines);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain(SECRET);
  });
});

describe('getMe (docs/platform.md#ids)', () => {
  it('asks for user_id and maps both id namespaces', async () => {
    const { fetch, requests } = fakeFetch(
      reply(
        '{"user_id":"17841405309211844","username":"acme.studio","name":"Acme Studio","account_type":"BUSINESS","profile_picture_url":"https:\\/\\/scontent.test\\/p.jpg","id":"26893745620197403"}',
      ),
    );
    const me = await client(fetch).graph.getMe(TOKEN);
    const request = only(requests);
    expectBearer(request);
    expect(request.url.pathname).toBe('/v24.0/me');
    expect(request.url.searchParams.get('fields')?.split(',')).toEqual(
      expect.arrayContaining([
        'user_id',
        'id',
        'username',
        'name',
        'account_type',
        'profile_picture_url',
      ]),
    );
    expect(me).toEqual({
      igUserId: IG_ID,
      appScopedId: '26893745620197403',
      username: 'acme.studio',
      name: 'Acme Studio',
      accountType: 'BUSINESS',
      profilePictureUrl: 'https://scontent.test/p.jpg',
    });
  });

  it('accepts the data[]-wrapped shape and numeric ids', async () => {
    const { fetch } = fakeFetch(
      reply(
        '{"data":[{"user_id":17841405309211844,"username":"acme.studio","id":26893745620197403}]}',
      ),
    );
    expect(await client(fetch).graph.getMe(TOKEN)).toEqual({
      igUserId: IG_ID,
      appScopedId: '26893745620197403',
      username: 'acme.studio',
      name: null,
      accountType: null,
      profilePictureUrl: null,
    });
  });
});

describe('webhook subscription (docs/platform.md#subscriptions)', () => {
  it('subscribes the account with its fields in the query', async () => {
    const { fetch, requests } = fakeFetch(reply({ success: true }));
    await client(fetch).graph.subscribeApp(TOKEN, IG_ID, [
      'messages',
      'message_reactions',
      'comments',
    ]);
    const request = only(requests);
    expectBearer(request);
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe(`/v24.0/${IG_ID}/subscribed_apps`);
    expect(request.url.searchParams.get('subscribed_fields')).toBe(
      'messages,message_reactions,comments',
    );
  });

  it('treats {"success": false} as a failure', async () => {
    const { fetch } = fakeFetch(reply({ success: false }));
    const error = await graphError(client(fetch).graph.subscribeApp(TOKEN, IG_ID, ['messages']));
    expect(error.failure.reason).toBe('unexpected-response');
  });

  it('refuses empty or odd field names without calling Graph', async () => {
    const { fetch, requests } = fakeFetch(reply({ success: true }));
    const { graph } = client(fetch);
    await expect(graph.subscribeApp(TOKEN, IG_ID, [])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(graph.subscribeApp(TOKEN, IG_ID, ['messages&x=1'])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(requests).toHaveLength(0);
  });

  it('lists current subscriptions', async () => {
    const { fetch, requests } = fakeFetch(
      reply({
        data: [
          { id: '990602627938098', name: 'Inlet', subscribed_fields: ['messages', 'comments'] },
        ],
      }),
    );
    const apps = await client(fetch).graph.getSubscribedApps(TOKEN, IG_ID);
    expect(only(requests).method).toBe('GET');
    expect(only(requests).url.pathname).toBe(`/v24.0/${IG_ID}/subscribed_apps`);
    expect(apps).toEqual([
      { appId: '990602627938098', name: 'Inlet', subscribedFields: ['messages', 'comments'] },
    ]);
  });
});

describe('listConversations (docs/platform.md#conversations-api)', () => {
  it('asks for the Instagram platform and parses ISO +0000 and UNIX times', async () => {
    const { fetch, requests } = fakeFetch(
      reply({
        data: [
          {
            id: 'aWdfConv1',
            updated_time: '2026-03-18T14:05:11+0000',
            participants: {
              data: [
                { username: 'lena.k', id: IGSID },
                { username: 'acme.studio', id: IG_ID },
              ],
            },
          },
          {
            id: 'aWdfConv2',
            updated_time: 1773842711,
            participants: { data: [{ id: '952467318864215' }] },
          },
        ],
        paging: {
          cursors: { before: 'b1', after: 'a1' },
          next: `https://graph.test/v24.0/${IG_ID}/conversations?access_token=${TOKEN}&after=a1`,
        },
      }),
    );
    const page = await client(fetch).graph.listConversations(TOKEN, IG_ID, { limit: 50 });
    const request = only(requests);
    expectBearer(request);
    expect(request.url.pathname).toBe(`/v24.0/${IG_ID}/conversations`);
    expect(Object.fromEntries(request.url.searchParams)).toEqual({
      platform: 'instagram',
      fields: 'id,updated_time,participants',
      limit: '50',
    });
    expect(page).toEqual({
      conversations: [
        {
          id: 'aWdfConv1',
          updatedTime: Date.parse('2026-03-18T14:05:11Z'),
          participants: [
            { id: IGSID, username: 'lena.k' },
            { id: IG_ID, username: 'acme.studio' },
          ],
        },
        {
          id: 'aWdfConv2',
          updatedTime: 1773842711000,
          participants: [{ id: '952467318864215', username: null }],
        },
      ],
      nextCursor: 'a1',
    });
  });

  it('passes the cursor and the customer filter, and stops when paging.next is absent', async () => {
    const { fetch, requests } = fakeFetch(
      reply({ data: [], paging: { cursors: { after: 'zzz' } } }),
    );
    const page = await client(fetch).graph.listConversations(TOKEN, IG_ID, {
      after: 'a1',
      customerId: IGSID,
    });
    expect(only(requests).url.searchParams.get('after')).toBe('a1');
    expect(only(requests).url.searchParams.get('user_id')).toBe(IGSID);
    expect(page).toEqual({ conversations: [], nextCursor: null });
  });

  it('keeps going through an empty page that still has next, reading the cursor from next', async () => {
    const { fetch } = fakeFetch(
      reply({ data: [], paging: { next: 'https://graph.test/v24.0/x/conversations?after=c2' } }),
    );
    expect(await client(fetch).graph.listConversations(TOKEN, IG_ID)).toEqual({
      conversations: [],
      nextCursor: 'c2',
    });
  });
});

describe('messages (docs/platform.md#conversation-messages)', () => {
  const detailed = {
    id: 'aWdGGiblWZ',
    created_time: '2022-07-12T19:11:07+0000',
    from: { username: 'lena.k', id: IGSID },
    to: { data: [{ username: 'acme.studio', id: IG_ID }] },
    message: 'Hi Kitty!',
    attachments: {
      data: [
        {
          id: '1',
          mime_type: 'image/jpeg',
          name: 'a.jpg',
          size: 1234,
          image_data: {
            url: 'https://cdn.test/a.jpg',
            preview_url: 'https://cdn.test/a_s.jpg',
            width: 10,
            height: 10,
          },
        },
        { id: '2', mime_type: 'audio/mpeg', file_url: 'https://cdn.test/v.mp3' },
      ],
    },
    story: { mention: { link: 'https://cdn.test/story', id: '18047712935561234' } },
    reply_to: { mid: 'aWdfQuoted', is_self_reply: false },
    reactions: { data: [{ reaction: '❤', users: [{ username: 'acme.studio', id: IG_ID }] }] },
  };
  const parsedDetailed = {
    id: 'aWdGGiblWZ',
    createdTime: Date.parse('2022-07-12T19:11:07Z'),
    from: { id: IGSID, username: 'lena.k' },
    to: [{ id: IG_ID, username: 'acme.studio' }],
    text: 'Hi Kitty!',
    attachments: [
      {
        id: '1',
        type: 'image',
        mimeType: 'image/jpeg',
        name: 'a.jpg',
        size: 1234,
        url: 'https://cdn.test/a.jpg',
        previewUrl: 'https://cdn.test/a_s.jpg',
      },
      {
        id: '2',
        type: 'audio',
        mimeType: 'audio/mpeg',
        name: null,
        size: null,
        url: 'https://cdn.test/v.mp3',
        previewUrl: null,
      },
    ],
    shares: [],
    story: { kind: 'mention', link: 'https://cdn.test/story', id: '18047712935561234' },
    replyToMid: 'aWdfQuoted',
    reactions: [{ reaction: '❤', userIds: [IG_ID] }],
    isUnsupported: false,
  };

  it('reads one message with the docs/platform.md#conversation-messages fields', async () => {
    const { fetch, requests } = fakeFetch(reply(detailed));
    const message = await client(fetch).graph.getMessage(TOKEN, 'aWdGGiblWZ');
    const request = only(requests);
    expectBearer(request);
    expect(request.url.pathname).toBe('/v24.0/aWdGGiblWZ');
    expect(request.url.searchParams.get('fields')).toBe(
      'id,created_time,from,to,message,attachments,reactions,shares,story,reply_to,is_unsupported',
    );
    expect(message).toEqual(parsedDetailed);
  });

  it('reads the first page through field expansion, older messages without details', async () => {
    const { fetch, requests } = fakeFetch(
      reply({
        id: 'aWdfConv1',
        messages: {
          data: [detailed, { id: 'aWdfOld', created_time: '2022-07-10T08:00:00+0000' }],
          paging: {
            cursors: { after: 'm2' },
            next: 'https://graph.test/v24.0/aWdfConv1/messages?after=m2',
          },
        },
      }),
    );
    const page = await client(fetch).graph.getConversationMessages(TOKEN, 'aWdfConv1');
    const request = only(requests);
    expectBearer(request);
    expect(request.url.pathname).toBe('/v24.0/aWdfConv1');
    expect(request.url.searchParams.get('fields')).toBe(
      'messages.limit(20){id,created_time,from,to,message,attachments,reactions,shares,story,reply_to,is_unsupported}',
    );
    expect(page.nextCursor).toBe('m2');
    expect(page.messages[0]).toEqual(parsedDetailed);
    expect(page.messages[1]).toMatchObject({
      id: 'aWdfOld',
      text: null,
      from: null,
      attachments: [],
      isUnsupported: false,
    });
  });

  it('reads later pages from the messages edge, flat', async () => {
    const { fetch, requests } = fakeFetch(
      reply({ data: [{ id: 'aWdfOld2', is_unsupported: true }], paging: {} }),
    );
    const page = await client(fetch).graph.getConversationMessages(TOKEN, 'aWdfConv1', {
      after: 'm2',
      limit: 10,
    });
    const request = only(requests);
    expect(request.url.pathname).toBe('/v24.0/aWdfConv1/messages');
    expect(request.url.searchParams.get('after')).toBe('m2');
    expect(request.url.searchParams.get('limit')).toBe('10');
    expect(page).toEqual({
      messages: [expect.objectContaining({ id: 'aWdfOld2', isUnsupported: true })],
      nextCursor: null,
    });
  });

  it('returns an empty page for a thread without messages', async () => {
    const { fetch } = fakeFetch(reply({ id: 'aWdfConv1' }));
    expect(await client(fetch).graph.getConversationMessages(TOKEN, 'aWdfConv1')).toEqual({
      messages: [],
      nextCursor: null,
    });
  });

  it('maps 1609005 on a story lookup to story-unavailable', async () => {
    const { fetch } = fakeFetch(
      reply(
        {
          error: {
            message: 'There was a problem scraping data from the provided link.',
            code: 1609005,
          },
        },
        { status: 400 },
      ),
    );
    const error = await graphError(client(fetch).graph.getMessage(TOKEN, 'aWdfStory'));
    expect(error.failure).toMatchObject({ reason: 'story-unavailable', appCode: 'NOT_FOUND' });
  });
});

describe('getUserProfile (docs/platform.md#user-profile)', () => {
  it('reads the profile fields', async () => {
    const { fetch, requests } = fakeFetch(
      reply({
        name: 'Lena K',
        username: 'lena.k',
        profile_pic: 'https://scontent.test/l.jpg',
        follower_count: 1234,
        is_user_follow_business: false,
        is_business_follow_user: true,
        is_verified_user: false,
        id: IGSID,
      }),
    );
    const profile = await client(fetch).graph.getUserProfile(TOKEN, IGSID);
    expectBearer(only(requests));
    expect(only(requests).url.pathname).toBe(`/v24.0/${IGSID}`);
    expect(only(requests).url.searchParams.get('fields')).toBe(
      'name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user,is_verified_user',
    );
    expect(profile).toEqual({
      id: IGSID,
      name: 'Lena K',
      username: 'lena.k',
      profilePic: 'https://scontent.test/l.jpg',
      followerCount: 1234,
      isUserFollowBusiness: false,
      isBusinessFollowUser: true,
      isVerifiedUser: false,
    });
  });

  it('accepts null name and picture', async () => {
    const { fetch } = fakeFetch(
      reply({ name: null, username: 'lena.k', profile_pic: null, id: IGSID }),
    );
    expect(await client(fetch).graph.getUserProfile(TOKEN, IGSID)).toMatchObject({
      name: null,
      profilePic: null,
      followerCount: null,
    });
  });

  it('turns 230 into a typed consent-required failure', async () => {
    const { fetch } = fakeFetch(
      reply(
        {
          error: {
            message: 'User consent is required to access user profile',
            type: 'IGApiException',
            code: 230,
            fbtrace_id: 'T1',
          },
        },
        { status: 400 },
      ),
    );
    const error = await graphError(client(fetch).graph.getUserProfile(TOKEN, IGSID));
    expect(error.failure).toMatchObject({
      kind: 'permanent',
      reason: 'consent-required',
      graphCode: 230,
      fbtraceId: 'T1',
    });
    expect(error.operation).toBe('getUserProfile');
  });
});

describe('sendMessage (docs/platform.md#send-api)', () => {
  const sent = reply({ recipient_id: IGSID, message_id: 'aWdfSent' });

  async function sendAndSee(body: SendBody, response = sent) {
    const { fetch, requests } = fakeFetch(response);
    const result = await client(fetch).graph.sendMessage(TOKEN, IG_ID, body);
    const request = only(requests);
    expectBearer(request);
    expect(request.method).toBe('POST');
    expect(request.url.href).toBe(`https://graph.test/v24.0/${IG_ID}/messages`);
    expect(request.headers.get('content-type')).toBe('application/json');
    return { result, json: JSON.parse(request.body ?? 'null') as unknown };
  }

  it('sends text and returns the ids', async () => {
    const { result, json } = await sendAndSee({
      kind: 'text',
      recipientId: IGSID,
      text: 'Thanks, we’ll check!',
    });
    expect(json).toEqual({ recipient: { id: IGSID }, message: { text: 'Thanks, we’ll check!' } });
    expect(result).toEqual({ recipientId: IGSID, messageId: 'aWdfSent' });
  });

  it('sends quick replies', async () => {
    const { json } = await sendAndSee({
      kind: 'text',
      recipientId: IGSID,
      text: 'Which size?',
      quickReplies: [
        { contentType: 'text', title: 'Small', payload: 'SIZE_S' },
        { contentType: 'user_email', title: 'email', payload: 'EMAIL' },
      ],
    });
    expect(json).toEqual({
      recipient: { id: IGSID },
      message: {
        text: 'Which size?',
        quick_replies: [
          { content_type: 'text', title: 'Small', payload: 'SIZE_S' },
          { content_type: 'user_email', title: 'email', payload: 'EMAIL' },
        ],
      },
    });
  });

  it('sends an inline reply with reply_to beside message (docs/platform.md#reply-to)', async () => {
    const { json } = await sendAndSee({
      kind: 'text',
      recipientId: IGSID,
      text: 'Yes, this one',
      replyToMid: 'aWdfQuoted',
    });
    expect(json).toEqual({
      recipient: { id: IGSID },
      message: { text: 'Yes, this one' },
      reply_to: { mid: 'aWdfQuoted' },
    });
  });

  it('tags a human-agent reply (docs/platform.md#reply-windows)', async () => {
    const { json } = await sendAndSee({
      kind: 'text',
      recipientId: IGSID,
      text: 'Sorry for the wait',
      tag: 'HUMAN_AGENT',
    });
    expect(json).toEqual({
      recipient: { id: IGSID },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'Sorry for the wait' },
    });
  });

  it.each(['image', 'video', 'audio', 'file'] as const)(
    'sends a %s attachment by URL',
    async (type) => {
      const { json } = await sendAndSee({
        kind: 'attachment',
        recipientId: IGSID,
        attachment: { type, url: 'https://files.test/a' },
      });
      expect(json).toEqual({
        recipient: { id: IGSID },
        message: { attachment: { type, payload: { url: 'https://files.test/a' } } },
      });
    },
  );

  it('sends a private reply to a comment and learns the commenter (docs/platform.md#private-replies)', async () => {
    const { result, json } = await sendAndSee({
      kind: 'private-reply',
      commentId: '17867301270523379',
      text: 'Sent you the price list!',
    });
    expect(json).toEqual({
      recipient: { comment_id: '17867301270523379' },
      message: { text: 'Sent you the price list!' },
    });
    expect(result.recipientId).toBe(IGSID);
  });

  it('reacts and unreacts (docs/platform.md#reactions-sent)', async () => {
    const reacted = await sendAndSee(
      { kind: 'reaction', recipientId: IGSID, messageId: 'aWdfIn', reaction: 'love' },
      reply({ recipient_id: IGSID }),
    );
    expect(reacted.json).toEqual({
      recipient: { id: IGSID },
      sender_action: 'react',
      payload: { message_id: 'aWdfIn', reaction: 'love' },
    });
    expect(reacted.result).toEqual({ recipientId: IGSID, messageId: null });
    const unreacted = await sendAndSee(
      { kind: 'unreaction', recipientId: IGSID, messageId: 'aWdfIn' },
      reply({ recipient_id: IGSID }),
    );
    expect(unreacted.json).toEqual({
      recipient: { id: IGSID },
      sender_action: 'unreact',
      payload: { message_id: 'aWdfIn' },
    });
  });

  it.each(['typing_on', 'typing_off', 'mark_seen'] as const)(
    'sends the %s sender action alone (docs/platform.md#sender-actions)',
    async (action) => {
      const { json, result } = await sendAndSee(
        { kind: 'sender-action', recipientId: IGSID, action },
        reply({ recipient_id: IGSID }),
      );
      expect(json).toEqual({ recipient: { id: IGSID }, sender_action: action });
      expect(result.messageId).toBeNull();
    },
  );

  it.each([
    ['empty text', { kind: 'text', recipientId: IGSID, text: '   ' }],
    ['1001 bytes of text', { kind: 'text', recipientId: IGSID, text: 'é'.repeat(501) }],
    ['a username as recipient', { kind: 'text', recipientId: 'lena.k', text: 'hi' }],
    [
      '14 quick replies',
      {
        kind: 'text',
        recipientId: IGSID,
        text: 'hi',
        quickReplies: Array.from({ length: 14 }, (_, i) => ({
          contentType: 'text',
          title: `t${i}`,
          payload: `p${i}`,
        })),
      },
    ],
    [
      'a non-http attachment URL',
      {
        kind: 'attachment',
        recipientId: IGSID,
        attachment: { type: 'image', url: 'file:///etc/passwd' },
      },
    ],
    [
      'an unknown sender action',
      { kind: 'sender-action', recipientId: IGSID, action: 'typing_maybe' },
    ],
  ])('refuses %s before any request', async (_label, body) => {
    const { fetch, requests } = fakeFetch(sent);
    const error = await caught(client(fetch).graph.sendMessage(TOKEN, IG_ID, body as SendBody));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(requests).toHaveLength(0);
  });

  it('accepts exactly 1000 bytes of text', async () => {
    await expect(
      sendAndSee({ kind: 'text', recipientId: IGSID, text: 'é'.repeat(500) }),
    ).resolves.toBeDefined();
  });

  it('explains the 24-hour window on 10/2534022', async () => {
    const error = await sendFailure(
      reply(
        '{"error":{"message":"(#10) This message is sent outside of allowed window.","type":"OAuthException","code":10,"error_subcode":2534022,"fbtrace_id":"AbCdEf123"}}',
        { status: 400 },
      ),
    );
    expect(error).toMatchObject({
      code: 'OUTSIDE_WINDOW',
      operation: 'sendMessage',
      isIdempotent: false,
    });
    expect(error.message).toMatch(/24 hours/);
  });

  it('recognises the Human Agent 403 from the request it sent', async () => {
    const error = await sendFailure(
      reply(
        {
          error: {
            message:
              "To use 'Human Agent', your use of this endpoint must be reviewed and approved by Facebook.",
            type: 'IGApiException',
          },
        },
        { status: 403 },
      ),
      { tag: 'HUMAN_AGENT' },
    );
    expect(error.failure).toMatchObject({ kind: 'permanent', reason: 'human-agent-not-approved' });
  });

  it('marks a send whose answer cannot be read as outcome unknown, not retryable', async () => {
    for (const response of [
      reply({ recipient_id: IGSID }),
      reply('{"recipient_id":"12', { status: 200 }),
      reply('<html>oops</html>', { status: 502 }),
    ]) {
      const error = await sendFailure(response);
      expect(error.failure.kind).toBe('outcome-unknown');
      expect(error.isRetryable).toBe(false);
    }
  });

  it('treats 1/1357046 as possibly delivered', async () => {
    const error = await sendFailure(
      reply(
        { error: { message: 'Received invalid JSON reply', code: 1, error_subcode: 1357046 } },
        { status: 500 },
      ),
    );
    expect(error.failure.kind).toBe('outcome-unknown');
    expect(error.isRetryable).toBe(false);
  });
});

describe('transport failures', () => {
  it('a 5xx without a body is outcome unknown: a read may repeat it', async () => {
    const { fetch } = fakeFetch(reply('', { status: 503 }));
    const error = await graphError(client(fetch).graph.getMe(TOKEN));
    expect(error.failure).toMatchObject({ kind: 'outcome-unknown', requestSent: true });
    expect(error.isRetryable).toBe(true);
  });

  it('a refused connection never left: even a send may be retried', async () => {
    const error = await sendFailure(fetchFailed('ECONNREFUSED'));
    expect(error.failure).toMatchObject({
      kind: 'retryable',
      reason: 'network-unreachable',
      requestSent: false,
    });
    expect(error.isRetryable).toBe(true);
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('a connection reset mid-request counts as sent', async () => {
    const error = await sendFailure(fetchFailed('ECONNRESET'));
    expect(error.failure).toMatchObject({ kind: 'outcome-unknown', requestSent: true });
  });

  it('wasRequestSent looks through the cause chain', () => {
    const dns = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }),
    });
    expect(wasRequestSent(dns)).toBe(false);
    expect(wasRequestSent(new DOMException('timeout', 'TimeoutError'))).toBe(true);
    expect(wasRequestSent('weird')).toBe(true);
  });

  it('logs failures with codes and trace id, never the token', async () => {
    const { fetch } = fakeFetch(
      reply(
        {
          error: {
            message: 'Invalid OAuth access token',
            code: 190,
            error_subcode: 467,
            fbtrace_id: 'Tr4ce',
          },
        },
        { status: 401 },
      ),
    );
    const { graph, logger } = client(fetch);
    await graphError(graph.getMe(TOKEN));
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: 'graph request failed',
        fields: expect.objectContaining({
          operation: 'getMe',
          path: '/v24.0/me',
          status: 401,
          graphCode: 190,
          subcode: 467,
          fbtraceId: 'Tr4ce',
          kind: 'reauth',
        }) as unknown,
      },
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain(TOKEN);
  });
});

describe('usage headers (docs/platform.md#usage-headers)', () => {
  it('reports usage from successful and failed responses to onUsage', async () => {
    const usageHeaders = {
      'X-App-Usage': '{"call_count":85,"total_time":25,"total_cputime":25}',
      'X-Business-Use-Case-Usage': `{"${IG_ID}":[{"type":"instagram","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":3}]}`,
    };
    const { fetch } = fakeFetch(
      reply({ user_id: IG_ID, id: '1', username: 'acme' }, { headers: usageHeaders }),
      reply(
        { error: { message: 'Too many calls', code: 80002 } },
        { status: 400, headers: usageHeaders },
      ),
    );
    const onUsage = vi.fn<(usage: GraphUsage, operation: string) => void>();
    const { graph } = client(fetch, { onUsage });
    await graph.getMe(TOKEN);
    const error = await graphError(graph.listConversations(TOKEN, IG_ID));
    const expected = { appUsagePercent: 85, businessUsagePercent: 100, regainAccessMs: 180_000 };
    expect(onUsage.mock.calls).toEqual([
      [expected, 'getMe'],
      [expected, 'listConversations'],
    ]);
    expect(error.failure).toMatchObject({
      kind: 'retryable',
      appCode: 'RATE_LIMITED',
      retryAfterMs: 180_000,
    });
  });

  it('ignores malformed usage headers without failing the call', async () => {
    const { fetch } = fakeFetch(
      reply(
        { user_id: IG_ID, id: '1', username: 'acme' },
        { headers: { 'X-App-Usage': 'garbage', 'X-Business-Use-Case-Usage': '{"x":' } },
      ),
    );
    const onUsage = vi.fn();
    const me = await client(fetch, { onUsage }).graph.getMe(TOKEN);
    expect(me.igUserId).toBe(IG_ID);
    expect(onUsage).not.toHaveBeenCalled();
  });
});
