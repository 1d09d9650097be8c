namespace Leaderboard.Data;

/// <summary>
/// Keeps <see cref="Entities.Track.LeaderboardVersion"/> current. Anything that can change a track's ranking — a result
/// written, changed or removed; a run entering or leaving Completed; a submission edited or removed — bumps the track's
/// version and sends <c>NOTIFY leaderboard_changed, '&lt;track id&gt;:&lt;version&gt;'</c> (delivered at commit), so that
/// the site can serve cached leaderboard pages and 304s without asking the database on every request.
/// Applied by the migration that introduced the version (raw SQL: EF has no model for triggers).
/// </summary>
public static class LeaderboardTriggers
{
    public const string Channel = "leaderboard_changed";

    public const string Create = """
        CREATE FUNCTION leaderboard_touch(changed_track integer) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE new_version bigint;
        BEGIN
            UPDATE tracks SET leaderboard_version = leaderboard_version + 1 WHERE id = changed_track
            RETURNING leaderboard_version INTO new_version;
            IF FOUND THEN
                PERFORM pg_notify('leaderboard_changed', changed_track || ':' || new_version);
            END IF;
        END $$;

        CREATE FUNCTION leaderboard_result_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            -- A run deleted with its submission is already gone here; the submission's trigger covers that case.
            PERFORM leaderboard_touch(s.track_id) FROM runs r JOIN submissions s ON s.id = r.submission_id
            WHERE r.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.run_id ELSE NEW.run_id END;
            RETURN NULL;
        END $$;

        CREATE FUNCTION leaderboard_run_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM leaderboard_touch(s.track_id) FROM submissions s
            WHERE s.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.submission_id ELSE NEW.submission_id END;
            RETURN NULL;
        END $$;

        CREATE FUNCTION leaderboard_submission_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM leaderboard_touch(OLD.track_id);
            IF TG_OP = 'UPDATE' AND NEW.track_id <> OLD.track_id THEN
                PERFORM leaderboard_touch(NEW.track_id);
            END IF;
            RETURN NULL;
        END $$;

        CREATE TRIGGER leaderboard_result_changed AFTER INSERT OR UPDATE OR DELETE ON results
            FOR EACH ROW EXECUTE FUNCTION leaderboard_result_changed();
        CREATE TRIGGER leaderboard_run_status_changed AFTER UPDATE OF status ON runs
            FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND 'Completed' IN (OLD.status, NEW.status))
            EXECUTE FUNCTION leaderboard_run_changed();
        CREATE TRIGGER leaderboard_run_deleted AFTER DELETE ON runs
            FOR EACH ROW WHEN (OLD.status = 'Completed') EXECUTE FUNCTION leaderboard_run_changed();
        CREATE TRIGGER leaderboard_submission_changed AFTER UPDATE OF name, owner, track_id, created_at ON submissions
            FOR EACH ROW EXECUTE FUNCTION leaderboard_submission_changed();
        CREATE TRIGGER leaderboard_submission_deleted AFTER DELETE ON submissions
            FOR EACH ROW EXECUTE FUNCTION leaderboard_submission_changed();
        """;

    public const string Drop = """
        DROP TRIGGER leaderboard_submission_deleted ON submissions;
        DROP TRIGGER leaderboard_submission_changed ON submissions;
        DROP TRIGGER leaderboard_run_deleted ON runs;
        DROP TRIGGER leaderboard_run_status_changed ON runs;
        DROP TRIGGER leaderboard_result_changed ON results;
        DROP FUNCTION leaderboard_submission_changed();
        DROP FUNCTION leaderboard_run_changed();
        DROP FUNCTION leaderboard_result_changed();
        DROP FUNCTION leaderboard_touch(integer);
        """;
}
