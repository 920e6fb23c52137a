package dev.conduit.runtime.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/** The runtime's HTTP API: every resource of this package and its neighbours. */
@ApplicationPath("/")
@OpenAPIDefinition(
    info =
        @Info(
            title = "Conduit runtime",
            version = "0.1.0",
            description =
                "Executes an organization's integrated APIs for authorized applications, keeps "
                    + "request logs, and is an OAuth 2.0 identity provider for third-party applications."))
public class ConduitApplication extends Application {}
