package io.tinyscale.app.platform;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** The one jOOQ entry point: every query in the app goes through this DSLContext. */
@ApplicationScoped
public class Database {
  @Produces
  @Singleton
  DSLContext dsl(AgroalDataSource dataSource) {
    return DSL.using(
        dataSource,
        SQLDialect.POSTGRES,
        new Settings().withExecuteLogging(false).withRenderSchema(false));
  }
}
