// startPlayback and reportProgress straight against the subgraph, as the gateway would call it (signed
// identity headers), on a seeded database: entitlement, stream limit, parental limit, resume, progress.
import { describe, expect, it } from "vitest";
import { codeOf, forgetCachedProfiles } from "@watchflixx/testing";
import {
  CONTINUE,
  film,
  newAccount,
  rent,
  REPORT,
  series,
  START,
  useDemoWorld,
  subscribe,
} from "./support.ts";

const world = useDemoWorld();

/** Ends every open session of an account, so that each test starts with all its streams free. */
async function endAllSessions(userId: string): Promise<void> {
  await world.harness.db.viewingSession.updateMany({ where: { userId, endedAt: null }, data: { endedAt: new Date() } });
}

describe("startPlayback", () => {
  it("starts a session for a subscriber, with the manifest her plan's quality allows", async () => {
    const title = await film(world.harness.db, "R");
    const result = await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: title.id } }, world.alice.identity);
    expect(result.errors).toBeUndefined();
    const session = result.data.startPlayback;
    expect(session.content).toEqual({ id: title.id });
    expect(session.episode).toBeNull();
    expect(session.resumePositionSeconds).toBe(0);
    // Alice is on Standard (HD): the HD rendition, not the UHD one.
    const hd = await world.harness.db.videoFile.findFirstOrThrow({ where: { contentId: title.id, episodeId: null, quality: "HD" } });
    expect(session.manifestUrl).toBe(hd.manifestUrl);

    const row = await world.harness.db.viewingSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row).toMatchObject({ userId: world.alice.userId, profileId: world.alice.profiles.Alice, contentId: title.id, endedAt: null });
    const events = await world.harness.db.serviceEvent.findMany({ where: { aggregateId: session.id } });
    expect(events.map((event) => event.eventType)).toEqual(["PlaybackStarted"]);
    expect(events[0]?.payload).toMatchObject({
      sessionId: session.id,
      userId: world.alice.userId,
      profileId: world.alice.profiles.Alice,
      contentId: title.id,
      episodeId: null,
    });
    await endAllSessions(world.alice.userId);
  });

  it("is PAYMENT_REQUIRED without a subscription or rental", async () => {
    const title = await film(world.harness.db, "PG13");
    const result = await world.harness.server.gql(START, { input: { profileId: world.bob.profiles.Bob, contentId: title.id } }, world.bob.identity);
    expect(codeOf(result)).toBe("PAYMENT_REQUIRED");
    expect(await world.harness.db.viewingSession.count({ where: { userId: world.bob.userId } })).toBe(0);
  });

  it("is PAYMENT_REQUIRED for a subscription that is not ACTIVE/TRIALING or whose period has ended", async () => {
    const carol = await newAccount(world.harness.db, "Carol");
    const plan = await world.harness.db.plan.findUniqueOrThrow({ where: { code: "premium" } });
    const title = await film(world.harness.db, "PG");
    const base = { userId: carol.userId, planId: plan.id, provider: "LOCAL" as const, currentPeriodStart: new Date(Date.now() - 40 * 86_400_000) };
    await world.harness.db.subscription.create({ data: { ...base, status: "PAST_DUE", currentPeriodEnd: new Date(Date.now() + 86_400_000) } });
    await world.harness.db.subscription.create({ data: { ...base, status: "ACTIVE", currentPeriodEnd: new Date(Date.now() - 60_000) } });
    const refused = await world.harness.server.gql(START, { input: { profileId: carol.profileId, contentId: title.id } }, carol.identity);
    expect(codeOf(refused)).toBe("PAYMENT_REQUIRED");

    await subscribe(world.harness.db, carol.userId, "basic", "TRIALING");
    const trial = await world.harness.server.gql(START, { input: { profileId: carol.profileId, contentId: title.id } }, carol.identity);
    expect(trial.errors).toBeUndefined();
    // Basic is SD.
    expect(trial.data.startPlayback.manifestUrl).toContain("/sd/");
  });

  it("answers someone else's profile as NOT_FOUND and an anonymous caller as UNAUTHENTICATED", async () => {
    const title = await film(world.harness.db, "PG");
    const stranger = await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: title.id } }, world.bob.identity);
    expect(codeOf(stranger)).toBe("NOT_FOUND");
    const anonymous = await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: title.id } });
    expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
    const unknown = await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: "no-such-title" } }, world.alice.identity);
    expect(codeOf(unknown)).toBe("NOT_FOUND");
  });

  it("keeps a kids profile to its maturity limit (FORBIDDEN) and lets it play a PG title", async () => {
    const rated = await film(world.harness.db, "R");
    const refused = await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Kids, contentId: rated.id } }, world.alice.identity);
    expect(codeOf(refused)).toBe("FORBIDDEN");
    expect(refused.errors?.[0]?.extensions?.reason).toBe("MATURITY_LIMIT");

    const family = await film(world.harness.db, "PG");
    const allowed = await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Kids, contentId: family.id } }, world.alice.identity);
    expect(allowed.errors).toBeUndefined();
    await endAllSessions(world.alice.userId);
  });

  it("holds an account to its plan's concurrent streams, and frees a stream after 2 minutes without a heartbeat", async () => {
    await endAllSessions(world.alice.userId);
    const titles = [await film(world.harness.db, "PG", 0), await film(world.harness.db, "PG", 1), await film(world.harness.db, "PG", 2)];
    const start = (contentId: string) => world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId } }, world.alice.identity);

    const first = await start(titles[0]!.id);
    const second = await start(titles[1]!.id);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    const third = await start(titles[2]!.id);
    expect(codeOf(third)).toBe("FORBIDDEN");
    expect(third.errors?.[0]?.extensions?.reason).toBe("STREAM_LIMIT");

    // The first session's player went away: no heartbeat for three minutes.
    await world.harness.db.viewingSession.update({
      where: { id: first.data.startPlayback.id },
      data: { lastHeartbeatAt: new Date(Date.now() - 3 * 60 * 1000) },
    });
    const again = await start(titles[2]!.id);
    expect(again.errors).toBeUndefined();

    // Its player comes back: the stream is taken, so resuming is refused rather than making three.
    const resumed = await world.harness.server.gql(REPORT, { input: { sessionId: first.data.startPlayback.id, positionSeconds: 60 } }, world.alice.identity);
    expect(codeOf(resumed)).toBe("FORBIDDEN");

    // A stopped session frees its stream at once.
    const stopped = await world.harness.server.gql(
      REPORT,
      { input: { sessionId: second.data.startPlayback.id, positionSeconds: 30, event: "STOP" } },
      world.alice.identity,
    );
    expect(stopped.errors).toBeUndefined();
    expect((await start(titles[1]!.id)).errors).toBeUndefined();
    await endAllSessions(world.alice.userId);
  });

  it("never exceeds the stream limit when many starts arrive at once", async () => {
    await endAllSessions(world.alice.userId);
    const title = await film(world.harness.db, "PG13");
    const results = await Promise.all(
      Array.from({ length: 6 }, () => world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: title.id } }, world.alice.identity)),
    );
    const started = results.filter((result) => !result.errors);
    const refused = results.filter((result) => codeOf(result) === "FORBIDDEN");
    expect(started).toHaveLength(2);
    expect(refused).toHaveLength(4);
    expect(await world.harness.db.viewingSession.count({ where: { userId: world.alice.userId, endedAt: null } })).toBe(2);
    await endAllSessions(world.alice.userId);
  });

  it("records the session against one of the caller's devices, and refuses another account's device", async () => {
    await endAllSessions(world.alice.userId);
    const device = await world.harness.db.device.findFirstOrThrow({ where: { userId: world.alice.userId } });
    const title = await film(world.harness.db, "G");
    const onDevice = await world.harness.server.gql(
      START,
      { input: { profileId: world.alice.profiles.Alice, contentId: title.id, deviceId: device.id } },
      world.alice.identity,
    );
    expect(onDevice.errors).toBeUndefined();
    expect((await world.harness.db.viewingSession.findUniqueOrThrow({ where: { id: onDevice.data.startPlayback.id } })).deviceId).toBe(device.id);

    // Without deviceId, the device the access token was issued to.
    const viaToken = await world.harness.server.gql(
      START,
      { input: { profileId: world.alice.profiles.Alice, contentId: title.id } },
      { ...world.alice.identity, deviceId: device.id },
    );
    expect((await world.harness.db.viewingSession.findUniqueOrThrow({ where: { id: viaToken.data.startPlayback.id } })).deviceId).toBe(device.id);
    await endAllSessions(world.alice.userId);

    const bobsDevice = await world.harness.db.device.findFirstOrThrow({ where: { userId: world.bob.userId } });
    const foreign = await world.harness.server.gql(
      START,
      { input: { profileId: world.alice.profiles.Alice, contentId: title.id, deviceId: bobsDevice.id } },
      world.alice.identity,
    );
    expect(codeOf(foreign)).toBe("NOT_FOUND");
  });

  it("unlocks exactly the rented, paid title with a rental, names the rental in PlaybackStarted, and gives one stream", async () => {
    const dave = await newAccount(world.harness.db, "Dave");
    const rented = await film(world.harness.db, "PG13", 3);
    const other = await film(world.harness.db, "PG13", 4);
    const unpaid = await rent(world.harness.db, dave.userId, other.id, { invoice: "OPEN" });
    const rental = { id: await rent(world.harness.db, dave.userId, rented.id, { purchasedAt: new Date(Date.now() - 2 * 86_400_000) }) };

    const played = await world.harness.server.gql(START, { input: { profileId: dave.profileId, contentId: rented.id } }, dave.identity);
    expect(played.errors).toBeUndefined();
    expect(played.data.startPlayback.manifestUrl).toContain("/hd/");
    // Payment starts the 48-hour window from this event (its consumer, tested in the payment subgraph).
    const started = await world.harness.db.serviceEvent.findFirstOrThrow({ where: { aggregateId: played.data.startPlayback.id, eventType: "PlaybackStarted" } });
    const session = await world.harness.db.viewingSession.findUniqueOrThrow({ where: { id: played.data.startPlayback.id } });
    expect(started.payload).toMatchObject({ userId: dave.userId, contentId: rented.id, entitlement: "RENTAL", rentalId: rental.id, startedAt: session.startedAt.toISOString() });

    // A rental whose payment has not gone through (invoice still OPEN) unlocks nothing.
    const notPaid = await world.harness.server.gql(START, { input: { profileId: dave.profileId, contentId: other.id } }, dave.identity);
    expect(codeOf(notPaid)).toBe("PAYMENT_REQUIRED");
    expect((await world.harness.db.rental.findUniqueOrThrow({ where: { id: unpaid } })).status).toBe("PENDING");
    const notRented = await world.harness.server.gql(START, { input: { profileId: dave.profileId, contentId: (await film(world.harness.db, "PG13", 5)).id } }, dave.identity);
    expect(codeOf(notRented)).toBe("PAYMENT_REQUIRED");

    const secondStream = await world.harness.server.gql(START, { input: { profileId: dave.profileId, contentId: rented.id } }, dave.identity);
    expect(codeOf(secondStream)).toBe("FORBIDDEN");

    // Streaming writes nothing of the rental: until payment has applied the event, it plays as a paid rental.
    await world.harness.db.viewingSession.updateMany({ where: { userId: dave.userId }, data: { endedAt: new Date() } });
    expect((await world.harness.server.gql(START, { input: { profileId: dave.profileId, contentId: rented.id } }, dave.identity)).errors).toBeUndefined();
    expect(await world.harness.db.rental.findUniqueOrThrow({ where: { id: rental.id } })).toMatchObject({ status: "PENDING", firstPlayedAt: null });

    // Once expired, the rental unlocks nothing.
    await world.harness.db.viewingSession.updateMany({ where: { userId: dave.userId }, data: { endedAt: new Date() } });
    await world.harness.db.rental.update({ where: { id: rental.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await world.harness.server.gql(START, { input: { profileId: dave.profileId, contentId: rented.id } }, dave.identity);
    expect(codeOf(expired)).toBe("PAYMENT_REQUIRED");
  });

  it("a subscriber's play of a title she also rented names no rental", async () => {
    await endAllSessions(world.alice.userId);
    const rented = await film(world.harness.db, "G", 5);
    const rental = await rent(world.harness.db, world.alice.userId, rented.id);
    const played = await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: rented.id } }, world.alice.identity);
    expect(played.errors).toBeUndefined();
    const started = await world.harness.db.serviceEvent.findFirstOrThrow({ where: { aggregateId: played.data.startPlayback.id, eventType: "PlaybackStarted" } });
    expect(started.payload).toMatchObject({ entitlement: "SUBSCRIPTION", rentalId: null });
    expect(await world.harness.db.rental.findUniqueOrThrow({ where: { id: rental } })).toMatchObject({ status: "PENDING", firstPlayedAt: null });
    await endAllSessions(world.alice.userId);
  });

  it("plays a series from S1E1, the asked episode, or the next episode after a finished one", async () => {
    await endAllSessions(world.alice.userId);
    const show = await series(world.harness.db);
    const [s1e1, s1e2] = show.episodes;
    const start = async (episodeId?: string) => {
      const result = await world.harness.server.gql(
        START,
        { input: { profileId: world.alice.profiles.Alice, contentId: show.id, ...(episodeId ? { episodeId } : {}) } },
        world.alice.identity,
      );
      await endAllSessions(world.alice.userId);
      return result;
    };
    expect((await start()).data.startPlayback.episode).toEqual({ id: s1e1!.id });

    const chosen = await start(s1e2!.id);
    expect(chosen.data.startPlayback.episode).toEqual({ id: s1e2!.id });
    expect(chosen.data.startPlayback.manifestUrl).toBe(
      (await world.harness.db.videoFile.findFirstOrThrow({ where: { episodeId: s1e2!.id, quality: "HD" } })).manifestUrl,
    );

    // Finish S1E1: the default is now S1E2.
    const session = (
      await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: show.id, episodeId: s1e1!.id } }, world.alice.identity)
    ).data.startPlayback.id;
    const finished = await world.harness.server.gql(
      REPORT,
      { input: { sessionId: session, positionSeconds: s1e1!.durationSeconds, event: "STOP" } },
      world.alice.identity,
    );
    expect(finished.data.reportProgress.completed).toBe(true);
    expect((await start()).data.startPlayback.episode).toEqual({ id: s1e2!.id });

    const otherTitle = await film(world.harness.db, "PG", 6);
    const mismatched = await world.harness.server.gql(
      START,
      { input: { profileId: world.alice.profiles.Alice, contentId: otherTitle.id, episodeId: s1e1!.id } },
      world.alice.identity,
    );
    expect(codeOf(mismatched)).toBe("BAD_USER_INPUT");
    const foreignEpisode = await world.harness.server.gql(
      START,
      { input: { profileId: world.alice.profiles.Alice, contentId: show.id, episodeId: "not-an-episode" } },
      world.alice.identity,
    );
    expect(codeOf(foreignEpisode)).toBe("NOT_FOUND");
  });
});

describe("reportProgress", () => {
  it("saves the position, is idempotent for repeated heartbeats, and resumes there next time", async () => {
    await endAllSessions(world.alice.userId);
    const title = await film(world.harness.db, "PG13", 7);
    const session = (await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: title.id } }, world.alice.identity)).data
      .startPlayback.id;

    const position = Math.round(title.durationSeconds * 0.25);
    const first = await world.harness.server.gql(REPORT, { input: { sessionId: session, positionSeconds: position } }, world.alice.identity);
    expect(first.errors).toBeUndefined();
    const history = () => world.harness.db.watchHistory.findMany({ where: { profileId: world.alice.profiles.Alice, contentId: title.id } });
    const afterFirst = await history();
    const sessionAfterFirst = await world.harness.db.viewingSession.findUniqueOrThrow({ where: { id: session } });
    const eventsAfterFirst = await world.harness.db.serviceEvent.count({ where: { aggregateId: session } });

    const repeats = [];
    for (let i = 0; i < 3; i += 1) {
      repeats.push(await world.harness.server.gql(REPORT, { input: { sessionId: session, positionSeconds: position, event: "HEARTBEAT" } }, world.alice.identity));
    }
    for (const repeat of repeats) expect(repeat.data).toEqual(first.data);
    expect(first.data.reportProgress).toEqual({ positionSeconds: position, progressPercent: 25, completed: false });
    const afterRepeats = await history();
    expect(afterRepeats).toHaveLength(1);
    expect(afterRepeats[0]).toMatchObject({ positionSeconds: position, version: afterFirst[0]?.version });
    const sessionAfterRepeats = await world.harness.db.viewingSession.findUniqueOrThrow({ where: { id: session } });
    expect(sessionAfterRepeats.watchedSeconds).toBe(sessionAfterFirst.watchedSeconds);
    expect(await world.harness.db.serviceEvent.count({ where: { aggregateId: session } })).toBe(eventsAfterFirst);

    await world.harness.server.gql(REPORT, { input: { sessionId: session, positionSeconds: position, event: "STOP" } }, world.alice.identity);
    const resumed = await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: title.id } }, world.alice.identity);
    expect(resumed.data.startPlayback.resumePositionSeconds).toBe(position);
    await endAllSessions(world.alice.userId);
  });

  it("changes nothing once stopped: STOP again answers alike, a late heartbeat is FORBIDDEN", async () => {
    await endAllSessions(world.alice.userId);
    const title = await film(world.harness.db, "PG13", 11);
    const session = (await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: title.id } }, world.alice.identity)).data
      .startPlayback.id;
    const stop = await world.harness.server.gql(REPORT, { input: { sessionId: session, positionSeconds: 900, event: "STOP" } }, world.alice.identity);
    expect(stop.errors).toBeUndefined();
    const events = await world.harness.db.serviceEvent.count({ where: { aggregateId: session } });

    const again = await world.harness.server.gql(REPORT, { input: { sessionId: session, positionSeconds: 900, event: "STOP" } }, world.alice.identity);
    expect(again.data).toEqual(stop.data);
    const late = await world.harness.server.gql(REPORT, { input: { sessionId: session, positionSeconds: 880 } }, world.alice.identity);
    expect(codeOf(late)).toBe("FORBIDDEN");
    expect(late.errors?.[0]?.extensions?.reason).toBe("SESSION_ENDED");

    const history = await world.harness.db.watchHistory.findFirstOrThrow({ where: { profileId: world.alice.profiles.Alice, contentId: title.id } });
    expect(history.positionSeconds).toBe(900);
    expect(await world.harness.db.serviceEvent.count({ where: { aggregateId: session } })).toBe(events);
    expect(await world.harness.db.serviceEvent.count({ where: { aggregateId: session, eventType: "PlaybackStopped" } })).toBe(1);
  });

  it("rejects a position beyond the running time or below zero, and another account's session", async () => {
    await endAllSessions(world.alice.userId);
    const title = await film(world.harness.db, "PG13", 8);
    const session = (await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: title.id } }, world.alice.identity)).data
      .startPlayback.id;
    const beyond = await world.harness.server.gql(REPORT, { input: { sessionId: session, positionSeconds: title.durationSeconds + 1 } }, world.alice.identity);
    expect(codeOf(beyond)).toBe("BAD_USER_INPUT");
    const negative = await world.harness.server.gql(REPORT, { input: { sessionId: session, positionSeconds: -5 } }, world.alice.identity);
    expect(codeOf(negative)).toBe("BAD_USER_INPUT");
    const atEnd = await world.harness.server.gql(REPORT, { input: { sessionId: session, positionSeconds: title.durationSeconds } }, world.alice.identity);
    expect(atEnd.data.reportProgress).toEqual({ positionSeconds: title.durationSeconds, progressPercent: 100, completed: true });

    const stranger = await world.harness.server.gql(REPORT, { input: { sessionId: session, positionSeconds: 10 } }, world.bob.identity);
    expect(codeOf(stranger)).toBe("NOT_FOUND");
    const unknown = await world.harness.server.gql(REPORT, { input: { sessionId: "no-such-session", positionSeconds: 10 } }, world.alice.identity);
    expect(codeOf(unknown)).toBe("NOT_FOUND");
    await endAllSessions(world.alice.userId);
  });

  it("marks a title completed at 90 %, counts watch time without seeks, and throttles PlaybackProgressed", async () => {
    await endAllSessions(world.alice.userId);
    const title = await film(world.harness.db, "PG13", 9);
    const session = (await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: title.id } }, world.alice.identity)).data
      .startPlayback.id;
    const report = (positionSeconds: number, event = "HEARTBEAT") =>
      world.harness.server.gql(REPORT, { input: { sessionId: session, positionSeconds, event } }, world.alice.identity);

    for (const position of [10, 20, 30, 40, 50, 60]) await report(position);
    const seekTo = Math.floor(title.durationSeconds * 0.89);
    await report(seekTo, "SEEK");
    const almost = await report(seekTo + 5);
    expect(almost.data.reportProgress.completed).toBe(false);
    const done = await report(Math.ceil(title.durationSeconds * 0.9));
    expect(done.data.reportProgress.completed).toBe(true);
    await report(Math.ceil(title.durationSeconds * 0.9), "STOP");

    const row = await world.harness.db.viewingSession.findUniqueOrThrow({ where: { id: session } });
    const watched = 60 + 5 + (Math.ceil(title.durationSeconds * 0.9) - seekTo - 5);
    expect(row.watchedSeconds).toBe(watched);
    expect(row.completed).toBe(true);
    expect(row.endedAt).not.toBeNull();

    const events = await world.harness.db.serviceEvent.findMany({ where: { aggregateId: session }, orderBy: { id: "asc" } });
    const types = events.map((event) => event.eventType);
    expect(types[0]).toBe("PlaybackStarted");
    expect(types.at(-1)).toBe("PlaybackStopped");
    const progressed = events.filter((event) => event.eventType === "PlaybackProgressed");
    // 10 reports, far fewer events; their watch-time deltas add up to the session's total.
    expect(progressed.length).toBeLessThan(6);
    const deltas = progressed.map((event) => (event.payload as { watchedSeconds: number }).watchedSeconds);
    expect(deltas.reduce((sum, delta) => sum + delta, 0)).toBe(watched);
    expect(progressed.filter((event) => (event.payload as { justCompleted: boolean }).justCompleted)).toHaveLength(1);

    const history = await world.harness.db.watchHistory.findFirstOrThrow({ where: { profileId: world.alice.profiles.Alice, contentId: title.id } });
    expect(history.completed).toBe(true);
    // A finished film starts from the beginning next time.
    const again = await world.harness.server.gql(START, { input: { profileId: world.alice.profiles.Alice, contentId: title.id } }, world.alice.identity);
    expect(again.data.startPlayback.resumePositionSeconds).toBe(0);
    await endAllSessions(world.alice.userId);
  });
});

describe("continueWatching", () => {
  it("lists unfinished titles most recent first, and the next episode after a finished one", async () => {
    const frank = await newAccount(world.harness.db, "Frank");
    await subscribe(world.harness.db, frank.userId, "premium");
    const [older, finished] = [await film(world.harness.db, "R", 1), await film(world.harness.db, "R", 2)];
    const show = await series(world.harness.db);
    const play = async (contentId: string, positionSeconds: number, episodeId?: string) => {
      const session = await world.harness.server.gql(
        START,
        { input: { profileId: frank.profileId, contentId, ...(episodeId ? { episodeId } : {}) } },
        frank.identity,
      );
      expect(session.errors).toBeUndefined();
      await world.harness.server.gql(REPORT, { input: { sessionId: session.data.startPlayback.id, positionSeconds, event: "STOP" } }, frank.identity);
    };
    await play(older.id, 600);
    await play(finished.id, finished.durationSeconds);
    const lastOfSeason1 = show.episodes.filter((episode) => episode.season === show.episodes[0]!.season).at(-1)!;
    const firstOfSeason2 = show.episodes[show.episodes.indexOf(lastOfSeason1) + 1]!;
    await play(show.id, lastOfSeason1.durationSeconds, lastOfSeason1.id);

    const list = await world.harness.server.gql(CONTINUE, { profileId: frank.profileId }, frank.identity);
    expect(list.errors).toBeUndefined();
    expect(list.data.continueWatching.map((item: { content: { id: string } }) => item.content.id)).toEqual([show.id, older.id]);
    expect(list.data.continueWatching[0]).toMatchObject({ episode: { id: firstOfSeason2.id }, positionSeconds: 0, completed: false });
    expect(list.data.continueWatching[1]).toMatchObject({ episode: null, positionSeconds: 600, completed: false });

    const one = await world.harness.server.gql(CONTINUE, { profileId: frank.profileId, first: 1 }, frank.identity);
    expect(one.data.continueWatching).toHaveLength(1);
    expect(codeOf(await world.harness.server.gql(CONTINUE, { profileId: frank.profileId, first: 101 }, frank.identity))).toBe("BAD_USER_INPUT");
    expect(codeOf(await world.harness.server.gql(CONTINUE, { profileId: frank.profileId }, world.alice.identity))).toBe("NOT_FOUND");
  });

  it("takes the profile's own maturity limit", async () => {
    const kids = world.alice.profiles.Kids!;
    const family = await film(world.harness.db, "PG", 10);
    await world.harness.db.watchHistory.create({
      data: { profileId: kids, contentId: family.id, playableId: family.id, positionSeconds: 300, durationSeconds: family.durationSeconds, progressPercent: 5 },
    });
    const listed = async () => {
      const result = await world.harness.server.gql(CONTINUE, { profileId: kids, first: 100 }, world.alice.identity);
      expect(result.errors).toBeUndefined();
      const ids: string[] = result.data.continueWatching.map((item: { content: { id: string } }) => item.content.id);
      const ratings = await world.harness.db.content.findMany({ where: { id: { in: ids } }, select: { maturityRating: true } });
      return { ids, ratings: new Set(ratings.map((content) => content.maturityRating)) };
    };
    const before = await listed();
    expect(before.ids[0]).toBe(family.id);
    expect([...before.ratings].every((rating) => rating === "G" || rating === "PG")).toBe(true);

    // The profile's limit is lowered to G: the PG title is no longer offered.
    // Straight to the row (not through auth, which writes the profile-access cache through): drop the cached entry.
    await world.harness.db.profile.update({ where: { id: kids }, data: { maturityRating: "G", version: { increment: 1 } } });
    await forgetCachedProfiles(world.harness.db, [kids]);
    const after = await listed();
    expect(after.ids).not.toContain(family.id);
    expect([...after.ratings].every((rating) => rating === "G")).toBe(true);
    await world.harness.db.profile.update({ where: { id: kids }, data: { maturityRating: "PG", version: { increment: 1 } } });
    await forgetCachedProfiles(world.harness.db, [kids]);
  });
});
