package dev.conduit.runtime.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The web application's error page (web.xml): what the servlet container refuses before any
 * resource runs (a request URI with an encoded slash or a broken escape, an exception that escaped
 * everything else) is answered in the runtime's JSON envelope, never with the container's default
 * page, which prints the exception and the class that threw it.
 */
@WebServlet("/errors/container")
public class ContainerErrors extends HttpServlet {

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object given = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    // asked for directly (no error being reported), the page does not exist
    int status = given == null ? 404 : given instanceof Integer i && i >= 400 ? i : 500;
    String code =
        status == 400 ? "BAD_REQUEST" : status >= 500 ? "INTERNAL" : Envelopes.codeFor(status);
    String message =
        status == 400
            ? "the request URI has invalid or improperly encoded characters"
            : status == 404
                ? "not found"
                : status >= 500 ? "an internal error occurred" : "the request was refused";
    Map<String, Object> body = Envelopes.failure(code, message, List.of(), RequestIds.next());
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.getOutputStream().write(Json.write(body).getBytes(StandardCharsets.UTF_8));
  }
}
