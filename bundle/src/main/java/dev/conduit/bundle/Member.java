package dev.conduit.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One member of the organization, with the profile fields that the passport endpoint of seed 001
 * returns. The JSON names are seed 001's (snake case) so files read like the contract.
 */
public record Member(
    String login,
    String accountId,
    String userId,
    @JsonProperty("full_name") String fullName,
    String email,
    @JsonProperty("mobile_phone") String mobilePhone,
    String department,
    String job,
    @JsonProperty("job_number") String jobNumber,
    @JsonProperty("work_site") String workSite,
    @JsonProperty("contact_phone") String contactPhone) {}
