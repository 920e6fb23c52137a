// SendSms, signed by sign() of code/rpc-sign.js (shared by this entry's blocks).
function main(input) {
  return sign(input.connection, 'SendSms', {
    PhoneNumbers: input.input.phone_numbers,
    SignName: input.input.sign_name,
    TemplateCode: input.input.template_code,
    TemplateParam: input.input.template_param
  });
}
