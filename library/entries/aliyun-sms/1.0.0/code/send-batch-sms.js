// SendBatchSms, signed by sign() of code/rpc-sign.js (shared by this entry's blocks).
function main(input) {
  return sign(input.connection, 'SendBatchSms', {
    PhoneNumberJson: input.input.phone_number_json,
    SignNameJson: input.input.sign_name_json,
    TemplateCode: input.input.template_code,
    TemplateParamJson: input.input.template_param_json
  });
}
