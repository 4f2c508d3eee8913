// References to entities other subgraphs own, as plain data: streaming answers `{ id }` (and, where a field
// says @provides, the fields it read with the same row) and the gateway fetches the rest from the owner.

/** A title (content subgraph); `title` and `posterUrl` only where they came with the row. */
export interface ContentKey {
  id: string;
  title?: string;
  posterUrl?: string | null;
}

/** An episode (content subgraph); its number and season's only where they came with the row. */
export interface EpisodeKey {
  id: string;
  number?: number;
  season?: { id: string; number?: number };
}

/** A profile (auth subgraph). */
export interface ProfileKey {
  id: string;
}

export function contentKey(id: string): ContentKey {
  return { id };
}

/** A reference with the fields a `@provides(fields: "title posterUrl")` promises. */
export function providedContentKey(title: { id: string; title: string; posterUrl: string | null }): ContentKey {
  return { id: title.id, title: title.title, posterUrl: title.posterUrl };
}

export function episodeKey(id: string | null): EpisodeKey | null {
  return id === null ? null : { id };
}

/** An episode with what `@provides(fields: "number season { id number }")` promises. */
export function providedEpisodeKey(episode: { id: string; number: number; seasonId: string; seasonNumber: number }): EpisodeKey {
  return { id: episode.id, number: episode.number, season: { id: episode.seasonId, number: episode.seasonNumber } };
}

export function profileKey(id: string): ProfileKey {
  return { id };
}
