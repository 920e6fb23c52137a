// QuerySendDetails, signed by sign() of code/rpc-sign.js (shared by this entry's blocks).
function main(input) {
  return sign(input.connection, 'QuerySendDetails', {
    PhoneNumber: input.input.phone_number,
    SendDate: input.input.send_date,
    PageSize: input.input.page_size,
    CurrentPage: input.input.current_page,
    BizId: input.input.biz_id
  });
}
