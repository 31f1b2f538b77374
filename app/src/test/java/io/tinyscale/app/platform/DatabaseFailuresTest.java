package io.tinyscale.app.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * Database failures as jOOQ hands them over, sorted into "the database's state: retry later" and
 * "this statement or its data".
 */
class DatabaseFailuresTest {

  @Test
  void aDatabaseThatIsAwayIsTransient() {
    // Postgres' fast shutdown ends a session in a statement; the socket of an idle one is found
    // closed
    assertThat(
            DatabaseFailures.isTransient(
                jooq(
                    new SQLException(
                        "FATAL: terminating connection due to administrator command", "57P01"))))
        .isTrue();
    assertThat(
            DatabaseFailures.isTransient(
                jooq(
                    new PSQLException(
                        "An I/O error occurred while sending to the backend.",
                        PSQLState.CONNECTION_FAILURE))))
        .isTrue();
    assertThat(
            DatabaseFailures.isTransient(
                jooq(new SQLException("FATAL: the database system is shutting down", "57P03"))))
        .isTrue();
    // no server on the port
    assertThat(
            DatabaseFailures.isTransient(
                jooq(
                    new PSQLException(
                        "Connection to 127.0.0.1:5432 refused.",
                        PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                        new ConnectException("Connection refused")))))
        .isTrue();
  }

  @Test
  void noConnectionFromThePoolInTimeIsTransient() {
    // What Agroal throws when a connection cannot be made within the acquisition timeout (a
    // database
    // that accepts but does not answer) or none comes free: plain SQLExceptions without a SQLSTATE.
    assertThat(
            DatabaseFailures.isTransient(
                jooq(
                    new SQLException(
                        "Acquisition timeout while waiting for new connection",
                        new TimeoutException()))))
        .isTrue();
    assertThat(DatabaseFailures.isTransient(jooq(new SQLException("Sorry, acquisition timeout!"))))
        .isTrue();
  }

  @Test
  void dataTheDatabaseRejectsIsNot() {
    assertThat(
            DatabaseFailures.isTransient(
                jooq(
                    new PSQLException(
                        "ERROR: insert or update on table \"clicks\" violates foreign key constraint \"clicks_url_id_fkey\"",
                        PSQLState.FOREIGN_KEY_VIOLATION))))
        .isFalse();
    assertThat(
            DatabaseFailures.isTransient(
                jooq(
                    new SQLException(
                        "ERROR: value too long for type character varying(2048)", "22001"))))
        .isFalse();
    assertThat(DatabaseFailures.isTransient(new IllegalArgumentException("bad event"))).isFalse();
  }

  @Test
  void aDatabaseThatIsBusyOrAsksForARetryIsTransient() {
    assertThat(
            DatabaseFailures.isTransient(
                jooq(new SQLException("FATAL: sorry, too many clients already", "53300"))))
        .isTrue();
    assertThat(
            DatabaseFailures.isTransient(
                jooq(new SQLException("ERROR: deadlock detected", "40P01"))))
        .isTrue();
    assertThat(
            DatabaseFailures.isTransient(
                jooq(new SQLException("ERROR: could not serialize access", "40001"))))
        .isTrue();
  }

  private static DataAccessException jooq(SQLException cause) {
    return new DataAccessException(
        "SQL [insert into \"clicks\" ...]; " + cause.getMessage(), cause);
  }
}
